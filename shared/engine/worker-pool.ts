/**
 * The local engine's consumer of one queue: up to `concurrency` messages in progress at once,
 * woken by the queue's `onAvailable` signal (never polling), honouring pause/resume/scale the
 * moment they happen. The AWS equivalent is the SQS event source mapping.
 */
import type { MemoryQueue } from '../adapters/memory/queue.ts';
import type { ReceivedMessage } from '../ports.ts';

export interface WorkerPoolOptions {
  readonly queueName: string;
  readonly queue: MemoryQueue;
  /** How long a taken message stays invisible; the run finishes (or times out) well before. */
  readonly visibilityMs: number;
  /** Processes one message; must settle (the pool acks or nacks from its result). */
  readonly handle: (received: ReceivedMessage) => Promise<void>;
}

/**
 * @example
 * const pool = new WorkerPool({ queueName: 'default', queue, visibilityMs: 960_000, handle });
 * pool.start();
 * await pool.stop(); // takes nothing more; waits for the messages in progress
 */
export class WorkerPool {
  private readonly opts: WorkerPoolOptions;
  private running = 0;
  private started = false;
  private held = false;
  private unsubscribe: (() => void) | undefined;
  private readonly inProgress = new Set<Promise<void>>();

  constructor(opts: WorkerPoolOptions) {
    this.opts = opts;
  }

  /** Messages being processed right now. */
  get runningCount(): number {
    return this.running;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.unsubscribe = this.opts.queue.onAvailable(this.opts.queueName, () => this.pump());
    this.pump();
  }

  /** Stops taking messages and resolves once those in progress have finished. */
  async stop(): Promise<void> {
    this.started = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    while (this.inProgress.size > 0) await Promise.allSettled([...this.inProgress]);
  }

  /** While held, nothing new is taken (the testing sandbox's manual mode). */
  hold(held: boolean): void {
    this.held = held;
    if (!held) this.pump();
  }

  /** Takes as many messages as the concurrency allows. Also called after pause/resume/scale. */
  pump(): void {
    const { queue, queueName } = this.opts;
    while (this.started && !this.held) {
      const state = queue.stateSync(queueName);
      if (state.paused || this.running >= state.concurrency || queue.countsSync(queueName).pending === 0) return;
      // Count the slot before the (synchronous-bodied) receive so re-entrant pumps see it.
      this.running++;
      const work = this.take().finally(() => {
        this.running--;
        this.inProgress.delete(work);
        this.pump();
      });
      this.inProgress.add(work);
    }
  }

  private async take(): Promise<void> {
    const [received] = await this.opts.queue.receive(this.opts.queueName, 1, this.opts.visibilityMs);
    if (received) await this.opts.handle(received);
  }
}
