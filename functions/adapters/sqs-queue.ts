/**
 * QueuePort on SQS standard queues.
 *
 * Priority: SQS has no priorities. The message's priority travels as the `priority` message
 * attribute, and each received batch (up to 10) is ordered lowest value first — so priority holds
 * within a batch, not across a backlog. Priority lanes (one queue per priority band, polled in
 * order) are out of scope for now; the attribute is kept so a backlog's priority mix is measurable.
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { MAX_QUEUE_DELAY_MS } from '../../shared/engine/job-runner.ts';
import { parseDelivery } from '../../shared/messages.ts';
import type { QueueCounts, QueuePort, ReceivedMessage, RunMessage, SendOptions } from '../../shared/ports.ts';
import { type QueueDirectory } from './queue-directory.ts';

/** SQS's longest DelaySeconds (the core sends longer delays through a one-time schedule). */
export const MAX_DELAY_SECONDS = MAX_QUEUE_DELAY_MS / 1000;
/** SQS's longest visibility timeout (12 h). */
export const MAX_VISIBILITY_SECONDS = 43_200;

export interface SqsQueueOptions {
  readonly client: SQSClient;
  readonly directory: QueueDirectory;
  /** Time for tick envelopes' `enqueuedAt`. @default Date.now */
  readonly now?: () => number;
}

/** Whole seconds SQS can express: rounded up (never early), clamped to `max`. */
export function toSeconds(ms: number | undefined, max: number): number {
  if (ms === undefined || ms <= 0) return 0;
  return Math.min(max, Math.ceil(ms / 1000));
}

/** The SendMessage fields of one run message (pure). */
export function sendRequest(queueUrl: string, message: RunMessage, opts: SendOptions = {}) {
  if (opts.delayMs !== undefined && opts.delayMs > MAX_DELAY_SECONDS * 1000) {
    throw new RangeError(`SQS cannot delay a message by ${opts.delayMs} ms (at most ${MAX_DELAY_SECONDS} s); longer delays go through the scheduler (scheduleOnce)`);
  }
  const priority = opts.priority ?? message.priority;
  return {
    QueueUrl: queueUrl,
    MessageBody: JSON.stringify(message),
    ...(opts.delayMs ? { DelaySeconds: toSeconds(opts.delayMs, MAX_DELAY_SECONDS) } : {}),
    ...(priority !== undefined ? { MessageAttributes: { priority: { DataType: 'Number', StringValue: String(priority) } } } : {}),
  };
}

/** Lowest priority value first, then oldest sent (SQS returns a batch in no particular order). */
export function byPriorityThenAge(a: { priority: number; sentAtMs: number }, b: { priority: number; sentAtMs: number }): number {
  return a.priority - b.priority || a.sentAtMs - b.sentAtMs;
}

/**
 * @example
 * const queue = new SqsQueue({ client: new SQSClient({}), directory: new QueueDirectory(parseQueueDirectory(process.env.OMSCHED_QUEUES)) });
 * await queue.send('default', enqueueMessage('send_email', { to: 'a@example.com' }, Date.now()), { delayMs: 30_000 });
 */
export class SqsQueue implements QueuePort {
  private readonly client: SQSClient;
  private readonly directory: QueueDirectory;
  private readonly now: () => number;

  constructor(opts: SqsQueueOptions) {
    this.client = opts.client;
    this.directory = opts.directory;
    this.now = opts.now ?? Date.now;
  }

  async send(queue: string, message: RunMessage, opts: SendOptions = {}): Promise<void> {
    const { url } = await this.directory.resolve(queue);
    await this.call(queue, () => this.client.send(new SendMessageCommand(sendRequest(url, message, opts))));
  }

  async receive(queue: string, max: number, visibilityMs: number): Promise<ReceivedMessage[]> {
    const { url } = await this.directory.resolve(queue);
    const res = await this.call(queue, () =>
      this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: Math.max(1, Math.min(10, max)),
          VisibilityTimeout: toSeconds(visibilityMs, MAX_VISIBILITY_SECONDS),
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
          MessageAttributeNames: ['priority'],
        }),
      ),
    );
    const out: Array<ReceivedMessage & { priority: number; sentAtMs: number }> = [];
    for (const m of res.Messages ?? []) {
      const received = this.toReceived(m);
      // Unparseable bodies are left alone: they return after the visibility timeout and end in
      // the redrive queue (the worker, not this port, dead-letters them with a reason).
      if (received) out.push(received);
    }
    return out.sort(byPriorityThenAge).map(({ message, receipt, receiveCount }) => ({ message, receipt, receiveCount }));
  }

  async ack(queue: string, receipt: string): Promise<void> {
    const { url } = await this.directory.resolve(queue);
    try {
      await this.call(queue, () => this.client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: receipt })));
    } catch (error) {
      // Acking twice (or after the message was redelivered elsewhere) is not an error here.
      if (!/ReceiptHandleIsInvalid|InvalidParameterValue/.test((error as Error).name ?? '')) throw error;
    }
  }

  async nack(queue: string, receipt: string, delayMs: number): Promise<void> {
    const { url } = await this.directory.resolve(queue);
    try {
      await this.call(queue, () =>
        this.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: receipt, VisibilityTimeout: toSeconds(delayMs, MAX_VISIBILITY_SECONDS) })),
      );
    } catch (error) {
      if (!/ReceiptHandleIsInvalid|InvalidParameterValue|MessageNotInflight/.test((error as Error).name ?? '')) throw error;
    }
  }

  async counts(queue: string): Promise<QueueCounts> {
    const { url } = await this.directory.resolve(queue);
    const res = await this.call(queue, () =>
      this.client.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
        }),
      ),
    );
    const a = res.Attributes ?? {};
    return {
      pending: Number(a.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
      delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
    };
  }

  async purge(queue: string): Promise<void> {
    const { url } = await this.directory.resolve(queue);
    await this.call(queue, () => this.client.send(new PurgeQueueCommand({ QueueUrl: url })));
  }

  private toReceived(m: Message): (ReceivedMessage & { priority: number; sentAtMs: number }) | undefined {
    const sentAtMs = Number(m.Attributes?.SentTimestamp ?? 0);
    let message: RunMessage;
    try {
      message = parseDelivery(m.Body ?? '', { receivedAtMs: this.now(), ...(sentAtMs ? { sentAtMs } : {}) });
    } catch {
      return undefined;
    }
    const attr = m.MessageAttributes?.['priority']?.StringValue;
    return {
      message,
      receipt: m.ReceiptHandle ?? '',
      receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
      priority: attr !== undefined ? Number(attr) : (message.priority ?? 0),
      sentAtMs,
    };
  }

  /** Maps SQS's "no such queue" to the port's `NotFoundError`. */
  private async call<T>(queue: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (/QueueDoesNotExist|NonExistentQueue/.test((error as Error).name ?? '')) throw this.directory.notFound(queue);
      throw error;
    }
  }
}
