/**
 * The local engine's EventBridge Scheduler: recurring schedules as background timers on the
 * clock that deliver one tick message per firing to the job's queue, and one-time
 * deliveries for long retry delays. It fires from the same compiled expressions that deploy.
 */
import { tickMessage } from '../../messages.ts';
import type { Clock, QueuePort, RunMessage, ScheduleTarget, SchedulerPort, TimerHandle } from '../../ports.ts';
import { nextRunAfter } from '../../schedule/next-runs.ts';
import type { CompiledSchedule } from '../../types.ts';

interface Entry {
  target: ScheduleTarget;
  schedules: readonly CompiledSchedule[];
  enabled: boolean;
  /** `rate(...)` schedules count from here (when they were put), as on AWS. */
  readonly anchorMs: number;
  timer?: TimerHandle;
}

export interface MemorySchedulerOptions {
  readonly clock: Clock;
  readonly queue: QueuePort;
  /** Called when a delivery fails (unknown queue...): EventBridge would send it to the schedule's DLQ. */
  readonly onDeliveryError?: (error: unknown, message: RunMessage) => void;
}

/**
 * @example
 * const scheduler = new MemoryScheduler({ clock, queue });
 * await scheduler.putSchedules({ job: 'daily_report', queue: 'default' }, job.schedules, true);
 */
export class MemoryScheduler implements SchedulerPort {
  private readonly clock: Clock;
  private readonly queue: QueuePort;
  private readonly onDeliveryError: (error: unknown, message: RunMessage) => void;
  private readonly entries = new Map<string, Entry>();
  /** One-time deliveries: kept across stopAll/restart, armed only while running. */
  private readonly once = new Map<string, { readonly queue: string; readonly message: RunMessage; readonly atMs: number; timer?: TimerHandle }>();
  private stopped = false;
  private onceSeq = 0;

  constructor(opts: MemorySchedulerOptions) {
    this.clock = opts.clock;
    this.queue = opts.queue;
    this.onDeliveryError = opts.onDeliveryError ?? (() => {});
  }

  async putSchedules(target: ScheduleTarget, schedules: readonly CompiledSchedule[], enabled: boolean): Promise<void> {
    this.disarm(target.job);
    const entry: Entry = { target: { ...target }, schedules: [...schedules], enabled, anchorMs: this.clock.now() };
    this.entries.set(target.job, entry);
    // A rate schedule fires once when created, as on AWS; a cron waits for its next instant.
    const isRate = entry.schedules.some((s) => s.expression.startsWith('rate('));
    this.arm(entry, isRate ? this.clock.now() - 1 : this.clock.now());
  }

  async deleteSchedules(job: string): Promise<void> {
    this.disarm(job);
    this.entries.delete(job);
  }

  async setEnabled(job: string, enabled: boolean): Promise<void> {
    const entry = this.entries.get(job);
    if (!entry) return;
    this.disarm(job);
    entry.enabled = enabled;
    this.arm(entry, this.clock.now());
  }

  async getSchedules(job: string): Promise<{ schedules: readonly CompiledSchedule[]; enabled: boolean } | undefined> {
    const entry = this.entries.get(job);
    return entry && { schedules: [...entry.schedules], enabled: entry.enabled };
  }

  async listJobs(): Promise<string[]> {
    return [...this.entries.keys()];
  }

  async scheduleOnce(queue: string, message: RunMessage, atMs: number): Promise<string> {
    const id = `once-${++this.onceSeq}`;
    const once = { queue, message, atMs };
    this.once.set(id, once);
    this.armOnce(id, once);
    return id;
  }

  async cancelOnce(id: string): Promise<void> {
    const once = this.once.get(id);
    if (once?.timer) this.clock.clearTimer(once.timer);
    this.once.delete(id);
  }

  /**
   * Stops every timer (runtime shutdown). Schedules and pending one-time deliveries stay
   * registered and nothing is re-armed (not even by `setEnabled`) until {@link restart}.
   */
  stopAll(): void {
    this.stopped = true;
    for (const job of this.entries.keys()) this.disarm(job);
    for (const once of this.once.values()) {
      if (once.timer) this.clock.clearTimer(once.timer);
      delete once.timer;
    }
  }

  /** Arms timers again after {@link stopAll}: pending one-time deliveries, then every schedule. */
  restart(): void {
    if (!this.stopped) return;
    this.stopped = false;
    for (const [id, once] of this.once) this.armOnce(id, once);
    for (const entry of this.entries.values()) this.arm(entry, this.clock.now());
  }

  private armOnce(id: string, once: { readonly queue: string; readonly message: RunMessage; readonly atMs: number; timer?: TimerHandle }): void {
    if (this.stopped) return;
    once.timer = this.clock.setTimer(once.atMs, () => {
      this.once.delete(id);
      this.deliver(once.queue, once.message);
    });
  }

  private arm(entry: Entry, fromMs: number): void {
    if (this.stopped || !entry.enabled || entry.schedules.length === 0) return;
    // Fan-out of sub-minute intervals is the core's job (as on AWS): deliver the raw ticks.
    const at = nextRunAfter(entry.schedules, fromMs, { anchorMs: entry.anchorMs, expandFanOut: false });
    if (at === null) return;
    entry.timer = this.clock.setTimer(at, () => this.fire(entry, at), { background: true });
  }

  private fire(entry: Entry, at: number): void {
    delete entry.timer;
    // Like EventBridge, a late process does not replay missed ticks: continue from now.
    this.arm(entry, Math.max(at, this.clock.now() - 1));
    this.deliver(entry.target.queue, tickMessage(entry.target.job, at, this.clock.now()));
  }

  private deliver(queue: string, message: RunMessage): void {
    this.queue.send(queue, message).catch((error: unknown) => this.onDeliveryError(error, message));
  }

  private disarm(job: string): void {
    const entry = this.entries.get(job);
    if (entry?.timer) this.clock.clearTimer(entry.timer);
    if (entry) delete entry.timer;
  }
}
