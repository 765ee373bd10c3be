/**
 * The demo shop's scheduler config — written exactly as in a user's own project: it imports
 * only from 'om-scheduler'. Check it with
 *
 *   npx omsched plan --config examples/app/scheduler.config.ts --count 5
 */
import { defineConfig, jobsOf, type DeadLetterEntry } from 'om-scheduler';
import { ExportWorker } from './jobs/export-worker.ts';
import { heartbeat } from './jobs/heartbeat.ts';
import { syncLegacyCrm } from './jobs/legacy-crm-sync.ts';
import { MaintenanceJobs } from './jobs/maintenance-jobs.ts';
import { importPartnerFeed } from './jobs/partner-feed-import.ts';
import { WebhookWorker } from './jobs/webhook-worker.ts';
import { weeklyReport } from './jobs/weekly-report.ts';
import { services } from './services.ts';

/** Called after every dead-letter insert: page whoever is on call. */
function onDeadLetter(entry: DeadLetterEntry): void {
  services.log(`onDeadLetter: paging #ops — ${entry.jobName} failed ${entry.attempts}× (${entry.errorClass}), entry ${entry.id}`);
}

export default defineConfig({
  app: 'demo-shop',
  queues: { default: 10, critical: 5, exports: 2, webhooks: 5 },
  deadLetter: { enabled: true, maxAge: [30, 'days'], maxEntries: 10_000, onDeadLetter },
  jobs: [
    ...jobsOf(MaintenanceJobs), // decorator style
    weeklyReport, // defineJob style
    heartbeat,
    importPartnerFeed,
    syncLegacyCrm,
    WebhookWorker, // Worker class style
    ExportWorker,
  ],
});
