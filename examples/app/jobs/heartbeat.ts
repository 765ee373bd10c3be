/**
 * A sub-minute job: every 30 seconds on the critical queue, a liveness ping for the uptime
 * monitor. (On AWS a per-minute schedule fans out into SQS messages delayed 0 s and 30 s.)
 */
import { defineJob } from 'om-scheduler';

let beats = 0;

export const heartbeat = defineJob({
  name: 'heartbeat',
  every: [30, 'seconds'],
  queue: 'critical',
  timeout: [5, 'seconds'],
  maxRetries: 0,
  handler: () => ({ beat: ++beats }),
});
