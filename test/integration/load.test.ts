/**
 * 1,000 runs through the deployed app, 10 % failing permanently: every run ends either
 * succeeded (history `ok`) or dead-lettered — nothing is lost, nothing is counted twice.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { appSkipReason, eventually } from './helpers/emulator-context.ts';
import { connectDeployedApp, type DeployedApp } from './helpers/deployed-app.ts';

const skipReason = appSkipReason();
const TOTAL = 1_000;

describe.skipIf(skipReason !== undefined)('load on the deployed app', () => {
  let app: DeployedApp;
  beforeAll(async () => {
    app = await connectDeployedApp();
  });
  afterAll(() => app?.close());

  test('1,000 enqueued runs with 10% failing permanently all end succeeded or dead-lettered', { timeout: 600_000 }, async () => {
    // Prepare
    const batch = `load-${Date.now()}`;
    const items = Array.from({ length: TOTAL }, (_, n) => ({ n, fail: n % 10 === 0, batch }));

    // Act: enqueue 20 at a time.
    const t0 = Date.now();
    const runIds = new Map<string, { n: number; fail: boolean }>();
    for (let i = 0; i < items.length; i += 20) {
      const results = await Promise.all(items.slice(i, i + 20).map((args) => app.client.enqueue('it_load', args)));
      results.forEach((r, k) => runIds.set(r.runId, items[i + k]!));
    }
    const enqueueMs = Date.now() - t0;

    // Assess
    const outcome = await eventually('every run to end', 480_000, async () => {
      // 1,100 entries: 900 ok, and 100 failing runs × (retry + error).
      const history = await app.client.history('it_load', { since: new Date(t0 - 1_000), limit: 5_000 });
      const succeeded = new Set(history.filter((h) => h.result === 'ok' && runIds.has(h.runId)).map((h) => h.runId));
      const dead = (await app.client.deadLetter.list({ jobName: 'it_load' })).filter((e) => (e.args as { batch?: string })?.batch === batch);
      return succeeded.size + dead.length >= TOTAL ? { succeeded, dead } : undefined;
    }, 3_000);
    console.log(`[load] ${TOTAL} runs: enqueued in ${enqueueMs} ms, all ended after ${Date.now() - t0} ms`);
    expect(outcome.succeeded.size).toBe(900);
    expect(outcome.dead.length).toBe(100);
    expect(outcome.dead.every((e) => (e.args as { fail: boolean }).fail && e.attempts === 2)).toBe(true);
    expect([...outcome.succeeded].every((id) => runIds.get(id)?.fail === false)).toBe(true);
  });
});
