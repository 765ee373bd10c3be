/**
 * Decorator style: one class groups the housekeeping jobs; each `@scheduled` method is a job
 * named after the method in snake_case (`cleanupSessions` -> `cleanup_sessions`).
 */
import { scheduled, type JobContext } from 'om-scheduler';
import { services } from '../services.ts';

export class MaintenanceJobs {
  /** Every 5 minutes; `unique` so a slow sweep never overlaps the next one. */
  @scheduled({ cron: '*/5 * * * *', unique: true, tags: ['maintenance'] })
  async cleanupSessions(_ctx: JobContext): Promise<{ removed: number }> {
    // Pretend 2% of the active sessions expired since the last sweep.
    const removed = Math.round(services.sessions.active * 0.02);
    services.sessions.active -= removed;
    services.sessions.expired += removed;
    services.log(`cleanup_sessions: removed ${removed} expired sessions, ${services.sessions.active} active`);
    return { removed };
  }

  /** Weekly, Sunday 03:00 in the shop's time zone, when traffic is lowest. */
  @scheduled({ cron: '0 3 * * SUN', timezone: 'Europe/Berlin', timeout: [10, 'minutes'], tags: ['maintenance'] })
  async vacuumDatabase({ signal }: JobContext): Promise<void> {
    await services.sleep(90_000, signal);
    services.log('vacuum_database: VACUUM (ANALYZE) done');
  }

  /** Hourly, on the hour. */
  @scheduled({ cron: '@hourly', tags: ['maintenance'] })
  async rotateLogs({ scheduledAt }: JobContext): Promise<void> {
    const hour = scheduledAt?.toISOString().slice(0, 13) ?? 'now';
    services.log(`rotate_logs: archived app-${hour}.log`);
  }
}
