/**
 * Starts the emulator once for the whole integration run and deploys the integration test app
 * (test/integration/app/) to it; test files read the endpoint and stack outputs with
 * `inject('emulator')` (helpers/emulator-context.ts). Without python3 the suite reports
 * `skipped: <why>`; under CI=true that is a failure instead.
 */
import type { TestProject } from 'vitest/node';
import { EmulatorUnavailableError, startEmulator, EMULATOR_CREDENTIALS } from '../../scripts/emulator/ministack.ts';
import { deployTestApp, type EmulatorInfo } from './helpers/test-app.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    emulator: EmulatorInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Every SDK client of the tests and of `createClient` signs with these (the emulator accepts any).
  process.env.AWS_ACCESS_KEY_ID = EMULATOR_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = EMULATOR_CREDENTIALS.secretAccessKey;
  process.env.AWS_REGION ??= 'us-east-1';
  // The SDK's Node 20 deprecation warning, printed by every client: noise in test output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const t0 = Date.now();
  let emulator;
  try {
    emulator = await startEmulator();
  } catch (err) {
    if (err instanceof EmulatorUnavailableError && process.env.CI !== 'true') {
      console.warn(`skipped: ${err.message}`);
      project.provide('emulator', { skipReason: err.message, endpoint: '', region: '', timings: {} });
      return async () => {};
    }
    throw err;
  }
  const startMs = Date.now() - t0;
  console.log(`[integration] emulator ${emulator.owned ? 'started' : 'reused'} at ${emulator.endpoint} in ${startMs} ms`);
  try {
    const info = await deployTestApp(emulator, (line) => console.log(`[integration] ${line}`));
    if (info.appSkipReason) console.warn(`[integration] tests of the deployed app skipped: ${info.appSkipReason}`);
    project.provide('emulator', { ...info, timings: { ...info.timings, emulatorStartMs: startMs } });
  } catch (err) {
    await emulator.stop();
    if (emulator.logFile) console.error(`[integration] emulator log was ${emulator.logFile} (removed)`);
    throw err;
  }
  return async () => {
    await emulator.stop();
  };
}
