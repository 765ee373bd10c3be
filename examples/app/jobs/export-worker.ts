/**
 * Worker style with lifecycle hooks: an on-demand data export (GDPR "download my data"),
 * enqueued with `ExportWorker.enqueue({ userId })`. It writes one page every 5 s and stops
 * promptly when cancelled, because it hands the run's abort signal to everything it awaits.
 */
import { Worker, type JobContext, type JobInfo } from 'om-scheduler';
import { services } from '../services.ts';

export interface ExportArgs {
  readonly userId: string;
}

const PAGE_SIZE = 500;
/** Orders per customer in the pretend database. */
const ORDERS: Readonly<Record<string, number>> = { u_1042: 1_400, u_2001: 48_000 };

export class ExportWorker extends Worker<ExportArgs> {
  override schedule() {
    return { name: 'export_worker', queue: 'exports', maxRetries: 2, timeout: [15, 'minutes'], tags: ['gdpr'] } as const;
  }

  async perform({ args, signal }: JobContext<ExportArgs>): Promise<{ file: string; rows: number }> {
    const rows = ORDERS[args.userId] ?? 0;
    const pages = Math.max(1, Math.ceil(rows / PAGE_SIZE));
    for (let page = 1; page <= pages; page++) {
      await services.sleep(5_000, signal); // query + upload one page; rejects on cancel
    }
    const file = `exports/${args.userId}.csv.gz`;
    services.storage.put(file, rows);
    return { file, rows };
  }

  override onStart(job: JobInfo, { args }: JobContext<ExportArgs>): void {
    services.log(`${job.name}.onStart: exporting orders of ${args.userId}`);
  }

  override onSuccess(job: JobInfo, result: unknown): void {
    const { file, rows } = result as { file: string; rows: number };
    services.log(`${job.name}.onSuccess: ${rows} rows -> ${file}; emailing the download link`);
  }

  override onFailure(job: JobInfo, error: Error, { args }: JobContext<ExportArgs>): void {
    services.log(`${job.name}.onFailure: export of ${args.userId} failed for good: ${error.message}`);
  }

  override onCancel(job: JobInfo, reason: string, { args }: JobContext<ExportArgs>): void {
    services.log(`${job.name}.onCancel: export of ${args.userId} stopped (${reason}); partial file deleted`);
  }
}
