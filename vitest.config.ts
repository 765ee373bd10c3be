import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests against the emulator run in their own project (see scripts/test.sh).
    exclude: ['test/integration/**', 'node_modules/**'],
    testTimeout: 20_000,
    pool: 'forks',
  },
});
