/**
 * The deployed integration test app (test/integration/app/) as the tests drive it: the user's
 * config, a runtime client on the emulator (`createClient`, as a user would build one), the
 * app's resource names, and raw SDK clients for what the client does not expose.
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { ResolvedConfig, RuntimeClient } from 'om-scheduler';
import { loadConfig } from '../../../shared/config/load-config.ts';
import { resourceNames, type ResourceNames } from '../../../shared/naming.ts';
import { emulatorInfo, sdkConfig } from './emulator-context.ts';
import { TEST_CONFIG_FILE, TEST_ENV } from './test-app.ts';

export interface DeployedApp {
  readonly config: ResolvedConfig;
  readonly client: RuntimeClient;
  readonly names: ResourceNames;
  /** Config queue name -> { url, arn } (the main stack's `QueueMap` output). */
  readonly queues: Readonly<Record<string, { url: string; arn: string }>>;
  readonly sqs: SQSClient;
  readonly scheduler: SchedulerClient;
  close(): void;
}

export async function connectDeployedApp(): Promise<DeployedApp> {
  const info = emulatorInfo();
  const config = await loadConfig(TEST_CONFIG_FILE);
  const names = resourceNames(config.app, TEST_ENV);
  const outputs = info.outputs?.[names.stack] ?? {};
  const queues = JSON.parse(outputs.QueueMap ?? '{}') as Record<string, { url: string; arn: string }>;
  // Loaded on first use, as a user's code would (`import { createClient } from 'om-scheduler'`).
  const { createClient } = (await import('om-scheduler')) as unknown as {
    createClient: (config: ResolvedConfig, opts: { env: string; region?: string; endpoint?: string }) => RuntimeClient;
  };
  const client = createClient(config, { env: TEST_ENV, region: info.region, endpoint: info.endpoint });
  const sqs = new SQSClient(sdkConfig());
  const scheduler = new SchedulerClient(sdkConfig());
  return {
    config,
    client,
    names,
    queues,
    sqs,
    scheduler,
    close: () => {
      sqs.destroy();
      scheduler.destroy();
    },
  };
}
