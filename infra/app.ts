/**
 * The CDK app entry (`cdk.json`: `npx tsx infra/app.ts`). Select the environment with
 * `-c env=<name>`; `-c configFile=<path>` deploys another config module.
 *
 *   npx cdk synth -c env=dev
 *
 * Errors a user can cause (unknown environment, bad settings, invalid config) print one line and
 * exit 1, without a stack trace.
 */
import { OmSchedulerError } from '../shared/errors.ts';
import { buildApp } from './build-app.ts';

try {
  const { app } = await buildApp();
  app.synth();
} catch (error) {
  if (error instanceof OmSchedulerError) {
    process.stderr.write(`om-scheduler: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
