/**
 * What a test file needs to talk to the emulator: the endpoint from the global setup, SDK
 * client config, and skip helpers that report *why* a test did not run.
 */
import { inject } from 'vitest';
import { EMULATOR_CREDENTIALS } from '../../../scripts/emulator/ministack.ts';
import type { EmulatorInfo } from './test-app.ts';

export function emulatorInfo(): EmulatorInfo {
  return inject('emulator');
}

/** Config for any AWS SDK v3 client: `new SQSClient(sdkConfig())`. */
export function sdkConfig(): { region: string; endpoint: string; credentials: typeof EMULATOR_CREDENTIALS } {
  const info = emulatorInfo();
  return { region: info.region, endpoint: info.endpoint, credentials: EMULATOR_CREDENTIALS };
}

/** Why tests that only need the emulator cannot run (`describe.skipIf(!!reason)`), if so. */
export function emulatorSkipReason(): string | undefined {
  return emulatorInfo().skipReason;
}

/** Why tests of the deployed test app cannot run, if so. */
export function appSkipReason(): string | undefined {
  const info = emulatorInfo();
  return info.skipReason ?? info.appSkipReason;
}

/** Polls `probe` until it returns a value other than `undefined`, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
