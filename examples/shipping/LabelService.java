package com.example.shipping;

import java.time.Duration;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.retry.annotation.Retryable;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestTemplate;

/** Buys shipping labels for paid orders and refreshes carrier rates every hour. */
@Service
public class LabelService {
    private final RestTemplate carrier = new RestTemplate();

    // Hover `@Retryable`: a fixed one-second delay makes every instance retry in step.
    @Retryable(maxAttempts = 5)
    public String buyLabel(String orderId) {
        return carrier.postForObject("https://carrier.example/labels", orderId, String.class);
    }

    @KafkaListener(topics = "orders.paid")
    public void onOrderPaid(String orderId) {
        buyLabel(orderId);
    }

    // Every replica of this service runs this at the same minute.
    @Scheduled(cron = "0 0 * * * *")
    public void refreshRates() {
        carrier.getForObject("https://carrier.example/rates", String.class);
    }
}
