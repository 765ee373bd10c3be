/**
 * Where each config queue lives on AWS. The worker reads it from `WORKER_ENV.queues`
 * (`{ [name]: { url, arn } }`), the client derives it from `resourceNames`, and a test harness
 * can pass a function that knows queues it created on the fly.
 */
import { NotFoundError } from '../../shared/errors.ts';

export interface QueueAddress {
  readonly url: string;
  readonly arn: string;
}

/** A fixed map of queue addresses, or a lookup (sync or async). */
export type QueueDirectoryInput =
  | Readonly<Record<string, QueueAddress>>
  | ((queue: string) => QueueAddress | undefined | Promise<QueueAddress | undefined>);

export class QueueDirectory {
  constructor(private readonly input: QueueDirectoryInput) {}

  /** The address of `queue`; unknown queues reject with `NotFoundError` (`queue "x" not found: …`). */
  async resolve(queue: string): Promise<QueueAddress> {
    const found = typeof this.input === 'function' ? await this.input(queue) : Object.hasOwn(this.input, queue) ? this.input[queue] : undefined;
    if (!found) throw this.notFound(queue);
    return found;
  }

  notFound(queue: string): NotFoundError {
    const known = typeof this.input === 'function' ? [] : Object.keys(this.input);
    return new NotFoundError('queue', queue, known.length ? `known queues: ${known.join(', ')}` : undefined);
  }
}

/**
 * Parses the worker's `OMSCHED_QUEUES` JSON.
 *
 * @example
 * parseQueueDirectory('{"default":{"url":"https://sqs…/shop-prod-default","arn":"arn:aws:sqs:…:shop-prod-default"}}');
 */
export function parseQueueDirectory(json: string | undefined): Record<string, QueueAddress> {
  if (!json) return {};
  const value = JSON.parse(json) as Record<string, { url?: unknown; arn?: unknown }>;
  const out: Record<string, QueueAddress> = {};
  for (const [name, addr] of Object.entries(value)) {
    if (typeof addr?.url !== 'string' || typeof addr.arn !== 'string') throw new Error(`queue directory entry "${name}" must be { url, arn }, got: ${JSON.stringify(addr)}`);
    out[name] = { url: addr.url, arn: addr.arn };
  }
  return out;
}

/**
 * The queue addresses `resourceNames` implies, for a client that only knows region + account.
 *
 * @example
 * queueAddress('us-east-1', '123456789012', 'shop-prod-default');
 * // { url: 'https://sqs.us-east-1.amazonaws.com/123456789012/shop-prod-default', arn: 'arn:aws:sqs:us-east-1:123456789012:shop-prod-default' }
 */
export function queueAddress(region: string, account: string, physicalName: string, endpoint?: string): QueueAddress {
  const base = endpoint ? endpoint.replace(/\/+$/, '') : `https://sqs.${region}.amazonaws.com`;
  return { url: `${base}/${account}/${physicalName}`, arn: `arn:aws:sqs:${region}:${account}:${physicalName}` };
}
