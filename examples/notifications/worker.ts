// Sends order notifications from a BullMQ queue and calls the customer's webhook.
import axios from 'axios';
import pRetry from 'p-retry';
import { Queue, Worker } from 'bullmq';

const connection = { host: 'localhost', port: 6379 };
export const notifications = new Queue('notifications', { connection });

const crm = axios.create({ baseURL: 'https://crm.internal.example' });

export async function notifyShipped(orderId: string, webhookUrl: string): Promise<void> {
  await notifications.add('shipped', { orderId, webhookUrl });
}

new Worker(
  'notifications',
  async (job) => {
    const { orderId, webhookUrl } = job.data as { orderId: string; webhookUrl: string };
    await pRetry(() => axios.post(webhookUrl, { orderId, event: 'order.shipped' }), { retries: 5 });
    await crm.post('/timeline', { orderId, note: 'shipped notification sent' });
    const status = await fetch(`https://status.internal.example/orders/${orderId}`);
    return status.ok;
  },
  { connection },
);
