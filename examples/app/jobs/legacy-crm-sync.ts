/**
 * A job that always fails, with an error that says what to do: the legacy CRM was switched off
 * but its sync is still scheduled. Each run is retried once, then dead-lettered (and
 * `onDeadLetter` alerts), until somebody deletes or pauses the job.
 */
import { defineJob } from 'om-scheduler';

export class CrmDecommissionedError extends Error {
  constructor(host: string) {
    super(`legacy CRM ${host} was decommissioned on 2026-11-30 — delete job "sync_legacy_crm" or point it at the new CRM`);
    this.name = 'CrmDecommissionedError';
  }
}

export const syncLegacyCrm = defineJob({
  name: 'sync_legacy_crm',
  cron: '10 * * * *',
  maxRetries: 1,
  retryDelay: [10, 'seconds'],
  retryJitter: 0,
  tags: ['crm'],
  handler: async () => {
    throw new CrmDecommissionedError('crm.legacy.demo-shop.internal');
  },
});
