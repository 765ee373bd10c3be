/**
 * The integration suite: real AWS services on an emulator (MiniStack, started by
 * global-setup.ts, or the endpoint in OMSCHED_TEST_ENDPOINT / AWS_ENDPOINT_URL).
 *
 *   npx vitest run --config test/integration/vitest.config.ts
 */
import { defineConfig } from 'vitest/config';
import root from '../../vitest.config.ts';

export default defineConfig({
  plugins: root.plugins,
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/integration/**/*.test.ts'],
    globalSetup: ['test/integration/global-setup.ts'],
    pool: 'forks',
    // Files wait on real schedules and queues (mostly idle); a few at once keep the suite short
    // on 2 cores. They use disjoint jobs and queues of the one deployed app.
    maxWorkers: 3,
    testTimeout: 180_000,
    hookTimeout: 240_000,
    teardownTimeout: 30_000,
  },
});
