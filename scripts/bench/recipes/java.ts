import { type Recipe, NOUNS, HOSTS, cap } from './recipe.js';

export const JAVA: Recipe = {
  header: `package com.example.billing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.retry.annotation.Backoff;
import org.springframework.retry.annotation.Retryable;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestTemplate;

@Service
public class BillingService {
  private final RestTemplate rest = new RestTemplate();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
`,
  separator: '\n\n',
  blocks: [
    (i, pick) => `  @Scheduled(cron = "0 */${1 + (i % 30)} * * * *")
  public void sync${cap(pick(NOUNS))}s${i}() {
    Map<String, Object> body = Map.of("id", ${i}, "source", "billing");
    rest.postForObject("${pick(HOSTS)}/v1/${pick(NOUNS)}s", body, String.class);
  }`,
    (i, pick) => `  @Retryable(maxAttempts = 5, backoff = @Backoff(delay = 1000, multiplier = 2))
  public String fetch${cap(pick(NOUNS))}${i}(String id) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("${pick(HOSTS)}/v2/" + id)).GET().build();
    return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }`,
    (i, pick) => `  @KafkaListener(topics = "${pick(NOUNS)}s", groupId = "billing-${i}")
  public void on${cap(pick(NOUNS))}${i}(String message) {
    List<String> parts = List.of(message.split(","));
    if (parts.size() < 3) {
      return;
    }
    double amount = Double.parseDouble(parts.get(2));
    System.out.println(parts.get(0) + " " + amount);
  }`,
  ],
  footer: '\n}',
};
