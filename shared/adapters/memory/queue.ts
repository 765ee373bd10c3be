/**
 * The local engine's queue: per-queue priority lanes (0..9, FIFO within a lane), delayed
 * messages and visibility timeouts on the injected clock — SQS semantics, in memory.
 */
import { NotFoundError } from '../../errors.ts';
import type {
  Clock,
  QueueControlPort,
  QueueCounts,
  QueuePort,
  ReceivedMessage,
  RunMessage,
  SendOptions,
  TimerHandle,
} from '../../ports.ts';

const LANES = 10;

interface Stored {
  readonly id: string;
  readonly body: string;
  readonly priority: number;
  receiveCount: number;
  timer?: TimerHandle;
  /** When the armed timer (delay or visibility) is due; kept while timers are suspended. */
  dueAtMs?: number;
}

/** A FIFO with O(1) push and shift. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;
  get size(): number {
    return this.items.length - this.head;
  }
  push(item: T): void {
    this.items.push(item);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

interface QueueState {
  readonly lanes: Fifo<Stored>[];
  /** Ids removed while waiting in a lane (purge); skipped on shift. */
  readonly delayed: Map<string, Stored>;
  readonly inFlight: Map<string, Stored>;
  ready: number;
  paused: boolean;
  concurrency: number;
  readonly listeners: Set<() => void>;
}

export interface MemoryQueueOptions {
  readonly clock: Clock;
  /** queue name -> concurrency. */
  readonly queues: Readonly<Record<string, number>>;
}

/**
 * @example
 * const queue = new MemoryQueue({ clock, queues: { default: 10 } });
 * await queue.send('default', message, { delayMs: 5_000, priority: 1 });
 * const [m] = await queue.receive('default', 1, 60_000);
 * await queue.ack('default', m.receipt);
 */
export class MemoryQueue implements QueuePort, QueueControlPort {
  private readonly clock: Clock;
  private readonly queues = new Map<string, QueueState>();
  private seq = 0;
  private suspended = false;

  constructor(opts: MemoryQueueOptions) {
    this.clock = opts.clock;
    for (const [name, concurrency] of Object.entries(opts.queues)) this.declare(name, concurrency);
  }

  /** Adds a queue (no-op if it exists). */
  declare(name: string, concurrency: number): void {
    if (this.queues.has(name)) return;
    this.queues.set(name, {
      lanes: Array.from({ length: LANES }, () => new Fifo<Stored>()),
      delayed: new Map(),
      inFlight: new Map(),
      ready: 0,
      paused: false,
      concurrency,
      listeners: new Set(),
    });
  }

  names(): string[] {
    return [...this.queues.keys()];
  }

  /**
   * Calls `listener` whenever a message may have become receivable (send, delay or
   * visibility expiry, nack) or consumption settings changed. Listeners must not throw.
   */
  onAvailable(queue: string, listener: () => void): () => void {
    const q = this.state(queue);
    q.listeners.add(listener);
    return () => q.listeners.delete(listener);
  }

  async send(queue: string, message: RunMessage, opts: SendOptions = {}): Promise<void> {
    const q = this.state(queue);
    const priority = clampPriority(opts.priority ?? message.priority ?? 0);
    const stored: Stored = { id: `m${++this.seq}`, body: JSON.stringify(message), priority, receiveCount: 0 };
    this.enqueueAfter(q, stored, opts.delayMs ?? 0);
  }

  async receive(queue: string, max: number, visibilityMs: number): Promise<ReceivedMessage[]> {
    const q = this.state(queue);
    const out: ReceivedMessage[] = [];
    for (let lane = 0; lane < LANES && out.length < max; lane++) {
      const fifo = q.lanes[lane]!;
      while (out.length < max) {
        const m = fifo.shift();
        if (!m) break;
        q.ready--;
        m.receiveCount++;
        q.inFlight.set(m.id, m);
        this.armTimer(q, m, this.clock.now() + visibilityMs, 'inFlight');
        out.push({ message: JSON.parse(m.body) as RunMessage, receipt: m.id, receiveCount: m.receiveCount });
      }
    }
    return out;
  }

  async ack(queue: string, receipt: string): Promise<void> {
    const q = this.state(queue);
    const m = q.inFlight.get(receipt);
    if (!m) return; // already acked or expired: SQS ignores stale receipts the same way
    q.inFlight.delete(receipt);
    if (m.timer) this.clock.clearTimer(m.timer);
  }

  async nack(queue: string, receipt: string, delayMs: number): Promise<void> {
    const q = this.state(queue);
    const m = q.inFlight.get(receipt);
    if (!m) return;
    q.inFlight.delete(receipt);
    if (m.timer) this.clock.clearTimer(m.timer);
    this.enqueueAfter(q, m, delayMs);
  }

  async counts(queue: string): Promise<QueueCounts> {
    const q = this.state(queue);
    return { pending: q.ready, inFlight: q.inFlight.size, delayed: q.delayed.size };
  }

  /** Synchronous counts for hot paths of the local engine. */
  countsSync(queue: string): QueueCounts {
    const q = this.state(queue);
    return { pending: q.ready, inFlight: q.inFlight.size, delayed: q.delayed.size };
  }

  async purge(queue: string): Promise<void> {
    const q = this.state(queue);
    for (const lane of q.lanes) lane.clear();
    for (const m of [...q.delayed.values(), ...q.inFlight.values()]) if (m.timer) this.clock.clearTimer(m.timer);
    q.delayed.clear();
    q.inFlight.clear();
    q.ready = 0;
  }

  // ---- QueueControlPort

  async pause(queue: string): Promise<void> {
    this.state(queue).paused = true;
  }

  async resume(queue: string): Promise<void> {
    const q = this.state(queue);
    q.paused = false;
    this.notify(q);
  }

  async setConcurrency(queue: string, concurrency: number): Promise<void> {
    const q = this.state(queue);
    q.concurrency = concurrency;
    this.notify(q);
  }

  async getState(queue: string): Promise<{ paused: boolean; concurrency: number }> {
    const q = this.state(queue);
    return { paused: q.paused, concurrency: q.concurrency };
  }

  /** Synchronous state for the worker pool's hot path. */
  stateSync(queue: string): { paused: boolean; concurrency: number } {
    const q = this.state(queue);
    return { paused: q.paused, concurrency: q.concurrency };
  }

  // ---- internals

  private state(queue: string): QueueState {
    const q = this.queues.get(queue);
    if (!q) throw new NotFoundError('queue', queue, `known queues: ${[...this.queues.keys()].join(', ')}`);
    return q;
  }

  private enqueueAfter(q: QueueState, m: Stored, delayMs: number): void {
    if (delayMs > 0) {
      q.delayed.set(m.id, m);
      this.armTimer(q, m, this.clock.now() + delayMs, 'delayed');
    } else {
      this.makeReady(q, m);
    }
  }

  /** A delay or visibility timer: when it fires, the message (still delayed/in flight) becomes ready. */
  private armTimer(q: QueueState, m: Stored, dueAtMs: number, from: 'delayed' | 'inFlight'): void {
    m.dueAtMs = dueAtMs;
    if (this.suspended) return;
    m.timer = this.clock.setTimer(dueAtMs, () => {
      if (q[from].delete(m.id)) this.makeReady(q, m);
    });
  }

  /**
   * Clears every delay and visibility timer but keeps the messages (runtime shutdown: a process
   * with nothing else to do can exit). {@link resumeTimers} arms them again at their due times.
   */
  suspendTimers(): void {
    this.suspended = true;
    for (const q of this.queues.values()) {
      for (const m of [...q.delayed.values(), ...q.inFlight.values()]) {
        if (m.timer) this.clock.clearTimer(m.timer);
        delete m.timer;
      }
    }
  }

  resumeTimers(): void {
    if (!this.suspended) return;
    this.suspended = false;
    for (const q of this.queues.values()) {
      for (const m of q.delayed.values()) this.armTimer(q, m, m.dueAtMs ?? this.clock.now(), 'delayed');
      for (const m of q.inFlight.values()) this.armTimer(q, m, m.dueAtMs ?? this.clock.now(), 'inFlight');
    }
  }

  private makeReady(q: QueueState, m: Stored): void {
    delete m.timer;
    delete m.dueAtMs;
    q.lanes[m.priority]!.push(m);
    q.ready++;
    this.notify(q);
  }

  private notify(q: QueueState): void {
    for (const l of q.listeners) l();
  }
}

function clampPriority(p: number): number {
  return Math.min(LANES - 1, Math.max(0, Math.trunc(p)));
}
