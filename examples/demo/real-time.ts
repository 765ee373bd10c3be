/**
 * `npm start -- --real-time`: the demo shop on the wall clock, until Ctrl-C. Schedules fire at
 * their real times (heartbeat every 30 s, cleanup_sessions every 5 minutes, …); a webhook
 * delivery and an export are enqueued at start so something happens in the first minute.
 * Ctrl-C stops gracefully: running work drains, then the tables are printed.
 */
import { createLocalRuntime, realClock, setDefaultClient } from 'om-scheduler';
import config from '../app/scheduler.config.ts';
import { ExportWorker } from '../app/jobs/export-worker.ts';
import { WebhookWorker } from '../app/jobs/webhook-worker.ts';
import { configureServices, realSleep } from '../app/services.ts';
import { attachLiveLog, clockTime } from './live-log.ts';
import { palette } from './palette.ts';
import { writeTables } from './story.ts';

export interface RealTimeOptions {
  readonly write?: (text: string) => void;
  readonly color?: boolean;
  /** Resolves when the demo should stop. @default first SIGINT or SIGTERM */
  readonly stopSignal?: Promise<unknown>;
}

/**
 * @example
 * await runRealTime({ color: true }); // returns after Ctrl-C
 */
export async function runRealTime(opts: RealTimeOptions = {}): Promise<void> {
  const write = opts.write ?? ((text: string) => void process.stdout.write(text));
  const paint = palette(opts.color ?? false);
  const clock = realClock();
  configureServices({ reset: true, sleep: realSleep, log: (text) => write(`${paint.dim(clockTime(clock.now()))}    ${paint.dim(`│ ${text}`)}\n`) });
  const rt = createLocalRuntime(config, { clock });
  setDefaultClient(rt);
  const live = attachLiveLog({ telemetry: rt.telemetry, clock, paint, write, quiet: { heartbeat: 4 } });

  write(`${paint.bold('om-scheduler demo')} — app ${paint.bold(config.app)} on the real clock (UTC). Ctrl-C stops gracefully.\n\n`);
  await rt.start();
  await WebhookWorker.enqueue({ deliveryId: 'dlv_live', url: 'https://hooks.acme.example/orders', event: 'order.paid' });
  await ExportWorker.enqueue({ userId: 'u_1042' });

  await (opts.stopSignal ?? untilSignal());
  write(`\n${paint.bold('Stopping')} ${paint.dim('(draining running work; Ctrl-C again to force)')}\n`);
  await rt.stop();
  live.off();
  setDefaultClient(undefined);
  const statuses = [];
  for (const job of await rt.listJobs()) statuses.push(await rt.status(job.name));
  writeTables(write, paint, { statuses, queues: await rt.queueStats(), deadLetters: await rt.deadLetter.list(), deadLetterStats: await rt.deadLetter.stats() });
}

/** The first SIGINT/SIGTERM resolves; a second one exits at once. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.once('SIGINT', () => process.exit(130));
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
