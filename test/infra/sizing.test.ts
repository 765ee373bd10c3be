import { describe, expect, test } from 'vitest';
import { queueConcurrencySettings, workerTimeoutSeconds } from '../../infra/job-queue.ts';
import { chunkJobs } from '../../infra/job-schedules.ts';

describe('how a queue’s concurrency maps onto Lambda', () => {
  test.each([
    // concurrency 1: SQS requires maxConcurrency ≥ 2, reserved concurrency keeps one run at a time
    [1, { reservedConcurrency: 1, maxConcurrency: 2 }],
    [2, { reservedConcurrency: 2, maxConcurrency: 2 }],
    [10, { reservedConcurrency: 10, maxConcurrency: 10 }],
    [1000, { reservedConcurrency: 1000, maxConcurrency: 1000 }],
  ])('concurrency %i gives %o', (concurrency, expected) => {
    // Act / Assess
    expect(queueConcurrencySettings(concurrency)).toEqual(expected);
  });
});

describe('the worker timeout', () => {
  test.each([
    [[], 30],
    [[5_000], 30],
    [[60_000, 300_000], 305],
    [[90_500], 96],
    [[895_000], 900],
    [[900_000], 900],
  ])('jobs with timeouts %o ms give a %i s function timeout (the longest + 5 s to record the attempt, 30..900)', (timeouts, expected) => {
    // Act / Assess
    expect(workerTimeoutSeconds(timeouts)).toBe(expected);
  });
});

describe('splitting schedules into stacks', () => {
  test('fills each stack up to its capacity and never splits one job’s schedules', () => {
    // Prepare
    const jobs = [
      { name: 'a', count: 2 },
      { name: 'b', count: 1 },
      { name: 'c', count: 2 },
      { name: 'd', count: 1 },
    ];
    // Act
    const chunks = chunkJobs(jobs, 3);
    // Assess
    expect(chunks.map((c) => c.map((j) => j.name))).toEqual([['a', 'b'], ['c', 'd']]);
  });

  test('appending a job only changes the last stack', () => {
    // Prepare
    const jobs = Array.from({ length: 7 }, (_, i) => ({ name: `j${i}`, count: 1 }));
    // Act
    const before = chunkJobs(jobs, 3);
    const after = chunkJobs([...jobs, { name: 'new', count: 1 }], 3);
    // Assess
    expect(after.slice(0, -1)).toEqual(before.slice(0, -1));
    expect(after.at(-1)!.map((j) => j.name)).toEqual(['j6', 'new']);
  });
});
