/**
 * Worker style with retries: delivers one webhook per run. The customer's endpoint is flaky
 * (503 twice per delivery in this demo), so attempts 1 and 2 fail and attempt 3 succeeds, with
 * exponential backoff in between: 15 s, then 30 s (±20 % jitter).
 */
import { Worker, type JobContext } from 'om-scheduler';
import { services } from '../services.ts';

export interface WebhookArgs {
  readonly deliveryId: string;
  readonly url: string;
  readonly event: string;
}

export class WebhookWorker extends Worker<WebhookArgs> {
  override schedule() {
    return {
      name: 'deliver_webhook',
      queue: 'webhooks',
      maxRetries: 5,
      retryDelay: [15, 'seconds'],
      retryBackoff: 'exponential',
      retryMaxDelay: [10, 'minutes'],
      retryJitter: 0.2,
      timeout: [30, 'seconds'],
    } as const;
  }

  async perform({ args, attempt }: JobContext<WebhookArgs>): Promise<{ status: number }> {
    // A throw fails this attempt; the runtime schedules the next one per the retry policy.
    const response = await services.webhooks.post(args.url, args.deliveryId, args.event);
    services.log(`deliver_webhook: ${args.event} -> ${args.url} answered ${response.status} (attempt ${attempt})`);
    return response;
  }
}
