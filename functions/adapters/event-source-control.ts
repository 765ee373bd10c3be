/**
 * QueueControlPort on Lambda: a queue is consumed by its worker function through one SQS event
 * source mapping (ESM).
 * - pause / resume: `UpdateEventSourceMapping { Enabled }` — messages wait in the queue.
 * - concurrency n: reserved concurrency n on the function (`PutFunctionConcurrency`) and
 *   `ScalingConfig.MaximumConcurrency` max(2, n) on the ESM (AWS's minimum is 2; concurrency 1
 *   is reserved concurrency 1 behind a mapping allowed 2).
 * - getState: paused = the ESM is Disabled/Disabling; concurrency = the smaller of the two limits.
 */
import {
  DeleteFunctionConcurrencyCommand,
  GetEventSourceMappingCommand,
  GetFunctionConcurrencyCommand,
  type LambdaClient,
  ListEventSourceMappingsCommand,
  PutFunctionConcurrencyCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { ConfigError, NotFoundError } from '../../shared/errors.ts';
import type { QueueControlPort } from '../../shared/ports.ts';

export const MIN_MAXIMUM_CONCURRENCY = 2;
export const MAX_MAXIMUM_CONCURRENCY = 1000;

/** The function and queue behind one config queue. */
export interface QueueConsumer {
  readonly functionName: string;
  readonly queueArn: string;
}

export type QueueConsumerLookup = (queue: string) => QueueConsumer | undefined | Promise<QueueConsumer | undefined>;

/**
 * The two Lambda settings of a queue concurrency.
 *
 * @example
 * concurrencySettings(1);  // { reservedConcurrency: 1, maximumConcurrency: 2 }
 * concurrencySettings(50); // { reservedConcurrency: 50, maximumConcurrency: 50 }
 */
export function concurrencySettings(concurrency: number): { reservedConcurrency: number; maximumConcurrency: number } {
  return {
    reservedConcurrency: concurrency,
    maximumConcurrency: Math.min(MAX_MAXIMUM_CONCURRENCY, Math.max(MIN_MAXIMUM_CONCURRENCY, concurrency)),
  };
}

/** What a queue actually runs at: the tighter of reserved concurrency and the ESM maximum. */
export function effectiveConcurrency(reserved: number | undefined, maximum: number | undefined): number | undefined {
  const limits = [reserved, maximum].filter((n): n is number => typeof n === 'number');
  return limits.length ? Math.min(...limits) : undefined;
}

/** ESM states in which nothing is (or soon will be) consumed. */
export function isPausedState(state: string | undefined): boolean {
  return state === 'Disabled' || state === 'Disabling';
}

export interface EventSourceControlOptions {
  readonly client: LambdaClient;
  readonly consumers: QueueConsumerLookup;
  /** What `getState` reports when neither limit is set (an ESM without ScalingConfig). @default 1000 */
  readonly unlimitedConcurrency?: number;
}

/**
 * @example
 * const control = new EventSourceControl({ client: new LambdaClient({}), consumers: (q) => ({ functionName: names.workerFunction(q), queueArn: arns[q] }) });
 * await control.pause('imports');
 */
export class EventSourceControl implements QueueControlPort {
  private readonly uuids = new Map<string, string>();

  constructor(private readonly opts: EventSourceControlOptions) {}

  async pause(queue: string): Promise<void> {
    const { uuid } = await this.mapping(queue);
    await this.opts.client.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }));
  }

  async resume(queue: string): Promise<void> {
    const { uuid } = await this.mapping(queue);
    await this.opts.client.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }));
  }

  async setConcurrency(queue: string, concurrency: number): Promise<void> {
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_MAXIMUM_CONCURRENCY) {
      throw new ConfigError({ subject: { kind: 'queue', name: queue }, field: 'concurrency', value: concurrency, expected: `be an integer from 1 to ${MAX_MAXIMUM_CONCURRENCY}` });
    }
    const { uuid, consumer } = await this.mapping(queue);
    const { reservedConcurrency, maximumConcurrency } = concurrencySettings(concurrency);
    await this.opts.client.send(new PutFunctionConcurrencyCommand({ FunctionName: consumer.functionName, ReservedConcurrentExecutions: reservedConcurrency }));
    await this.opts.client.send(new UpdateEventSourceMappingCommand({ UUID: uuid, ScalingConfig: { MaximumConcurrency: maximumConcurrency } }));
  }

  /** Drops the reserved concurrency (the account pool applies again); the ESM maximum stays. */
  async clearReservedConcurrency(queue: string): Promise<void> {
    const { consumer } = await this.mapping(queue);
    await this.opts.client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: consumer.functionName }));
  }

  async getState(queue: string): Promise<{ paused: boolean; concurrency: number }> {
    const { uuid, consumer } = await this.mapping(queue);
    const [esm, reserved] = await Promise.all([
      this.opts.client.send(new GetEventSourceMappingCommand({ UUID: uuid })),
      this.opts.client.send(new GetFunctionConcurrencyCommand({ FunctionName: consumer.functionName })),
    ]);
    return {
      paused: isPausedState(esm.State),
      concurrency: effectiveConcurrency(reserved.ReservedConcurrentExecutions, esm.ScalingConfig?.MaximumConcurrency) ?? this.opts.unlimitedConcurrency ?? MAX_MAXIMUM_CONCURRENCY,
    };
  }

  private async mapping(queue: string): Promise<{ uuid: string; consumer: QueueConsumer }> {
    const consumer = await this.opts.consumers(queue);
    if (!consumer) throw new NotFoundError('queue', queue);
    const cached = this.uuids.get(queue);
    if (cached) return { uuid: cached, consumer };
    let res;
    try {
      res = await this.opts.client.send(new ListEventSourceMappingsCommand({ FunctionName: consumer.functionName, EventSourceArn: consumer.queueArn }));
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') throw new NotFoundError('queue', queue, `its worker function ${consumer.functionName} does not exist`);
      throw error;
    }
    const uuid = res.EventSourceMappings?.[0]?.UUID;
    if (!uuid) throw new NotFoundError('queue', queue, `no event source mapping connects it to function ${consumer.functionName}`);
    this.uuids.set(queue, uuid);
    return { uuid, consumer };
  }
}
