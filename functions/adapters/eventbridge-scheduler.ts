/**
 * SchedulerPort on EventBridge Scheduler. A job's schedules are named
 * `names.scheduleName(job, i)` (`job`, `job-2`, …) in the app's group; each delivers
 * `scheduleTargetInput(job)` to the job's queue. One-time deliveries are `at()` schedules named
 * `once.…` that delete themselves after firing.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  type GetScheduleCommandOutput,
  ListSchedulesCommand,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { NotFoundError } from '../../shared/errors.ts';
import { resourceNames } from '../../shared/naming.ts';
import type { RunMessage, ScheduleTarget, SchedulerPort } from '../../shared/ports.ts';
import type { CompiledSchedule } from '../../shared/types.ts';
import type { QueueDirectory } from './queue-directory.ts';
import {
  ONCE_PREFIX,
  type ScheduleTargetConfig,
  compiledFromSchedule,
  jobScheduleRequest,
  onceScheduleName,
  onceScheduleRequest,
  tickedJob,
} from './schedule-requests.ts';

/** `names.scheduleName` without an app/env: it does not depend on them. */
const scheduleName = (job: string, index: number): string => resourceNames('x', 'x').scheduleName(job, index);

export interface EventBridgeSchedulerOptions extends ScheduleTargetConfig {
  readonly client: SchedulerClient;
  readonly directory: QueueDirectory;
}

const isNotFound = (error: unknown): boolean => (error as Error | null)?.name === 'ResourceNotFoundException';

/**
 * @example
 * const scheduler = new EventBridgeScheduler({ client: new SchedulerClient({}), directory, groupName: names.scheduleGroup, roleArn, deadLetterArn });
 * await scheduler.putSchedules({ job: 'daily_report', queue: 'default' }, job.schedules, true);
 */
export class EventBridgeScheduler implements SchedulerPort {
  private readonly client: SchedulerClient;
  private readonly directory: QueueDirectory;
  private readonly config: ScheduleTargetConfig;

  constructor(opts: EventBridgeSchedulerOptions) {
    this.client = opts.client;
    this.directory = opts.directory;
    this.config = { groupName: opts.groupName, roleArn: opts.roleArn, ...(opts.deadLetterArn ? { deadLetterArn: opts.deadLetterArn } : {}), ...(opts.retry ? { retry: opts.retry } : {}) };
  }

  async putSchedules(target: ScheduleTarget, schedules: readonly CompiledSchedule[], enabled: boolean): Promise<void> {
    const { arn } = await this.directory.resolve(target.queue);
    for (const [i, schedule] of schedules.entries()) {
      const request = jobScheduleRequest(this.config, scheduleName(target.job, i), target.job, arn, schedule, enabled);
      try {
        await this.client.send(new CreateScheduleCommand(request));
      } catch (error) {
        if (!(error instanceof ConflictException) && (error as Error).name !== 'ConflictException') throw error;
        await this.client.send(new UpdateScheduleCommand(request));
      }
    }
    // Schedules beyond the new count belonged to the previous definition.
    for (const [, name] of await this.owned(target.job, schedules.length)) await this.deleteQuietly(name);
  }

  async deleteSchedules(job: string): Promise<void> {
    for (const [, name] of await this.owned(job, 0)) await this.deleteQuietly(name);
  }

  async setEnabled(job: string, enabled: boolean): Promise<void> {
    for (const [s] of await this.owned(job, 0)) {
      const state = enabled ? 'ENABLED' : 'DISABLED';
      if (s.State === state) continue;
      await this.client.send(new UpdateScheduleCommand({ ...replaceable(s), State: state }));
    }
  }

  async getSchedules(job: string): Promise<{ schedules: CompiledSchedule[]; enabled: boolean } | undefined> {
    const owned = await this.owned(job, 0);
    if (owned.length === 0) return undefined;
    return { schedules: owned.map(([s]) => compiledFromSchedule(s)), enabled: owned.every(([s]) => s.State === 'ENABLED') };
  }

  async listJobs(): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const res = await this.client.send(new ListSchedulesCommand({ GroupName: this.config.groupName, ...(token ? { NextToken: token } : {}) }));
      for (const s of res.Schedules ?? []) if (s.Name && !s.Name.startsWith(ONCE_PREFIX)) names.push(s.Name);
      token = res.NextToken;
    } while (token);
    const present = new Set(names);
    const jobs: string[] = [];
    for (const name of names) {
      // `x-2` is schedule 2 of job `x` when `x` exists — unless its input says it ticks job `x-2`.
      const base = /^(.+)-(\d+)$/.exec(name)?.[1];
      if (base !== undefined && present.has(base)) {
        const s = await this.get(name);
        if (tickedJob(s?.Target?.Input) !== name) continue;
      }
      jobs.push(name);
    }
    return jobs.sort();
  }

  async scheduleOnce(queue: string, message: RunMessage, atMs: number): Promise<string> {
    const { arn } = await this.directory.resolve(queue);
    const name = onceScheduleName(message.job);
    await this.client.send(new CreateScheduleCommand(onceScheduleRequest(this.config, name, arn, message, atMs)));
    return name;
  }

  async cancelOnce(id: string): Promise<void> {
    await this.deleteQuietly(id);
  }

  /**
   * The schedules of `job` from index `from` on: `scheduleName(job, i)` for i = from, from+1, …
   * while it exists and ticks `job` (a job named `x-2` is not schedule 2 of job `x`).
   */
  private async owned(job: string, from: number): Promise<Array<[GetScheduleCommandOutput, string]>> {
    const out: Array<[GetScheduleCommandOutput, string]> = [];
    for (let i = from; ; i++) {
      const name = scheduleName(job, i);
      const s = await this.get(name);
      if (!s || tickedJob(s.Target?.Input) !== job) break;
      out.push([s, name]);
    }
    return out;
  }

  private async get(name: string): Promise<GetScheduleCommandOutput | undefined> {
    try {
      return await this.client.send(new GetScheduleCommand({ Name: name, GroupName: this.config.groupName }));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async deleteQuietly(name: string): Promise<void> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.config.groupName }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

/** The UpdateSchedule fields of a schedule as read (UpdateSchedule replaces everything). */
function replaceable(s: GetScheduleCommandOutput) {
  if (!s.Name || !s.ScheduleExpression || !s.Target || !s.FlexibleTimeWindow) throw new NotFoundError('schedule', s.Name ?? '(unnamed)', 'it came back incomplete');
  return {
    Name: s.Name,
    GroupName: s.GroupName,
    ScheduleExpression: s.ScheduleExpression,
    ...(s.ScheduleExpressionTimezone ? { ScheduleExpressionTimezone: s.ScheduleExpressionTimezone } : {}),
    ...(s.StartDate ? { StartDate: s.StartDate } : {}),
    ...(s.EndDate ? { EndDate: s.EndDate } : {}),
    ...(s.Description ? { Description: s.Description } : {}),
    ...(s.KmsKeyArn ? { KmsKeyArn: s.KmsKeyArn } : {}),
    ...(s.ActionAfterCompletion ? { ActionAfterCompletion: s.ActionAfterCompletion } : {}),
    FlexibleTimeWindow: s.FlexibleTimeWindow,
    Target: s.Target,
  };
}
