/**
 * `npm run deploy:local [-- --env dev] [-- --app "<cdk app command>"]`: synthesizes the app
 * (the project's cdk.json, i.e. the example app, unless `--app` says otherwise) and deploys
 * every stack to the emulator on http://localhost:4566, or `AWS_ENDPOINT_URL`. Start one first:
 *
 *   docker compose -f localstack.yml up -d
 *   npm run deploy:local
 *
 * It never talks to real AWS: the endpoint is always explicit and the credentials are the
 * emulator's dummy ones.
 */
import { parseArgs } from 'node:util';
import { deployAssembly, synthApp } from './deploy.ts';
import { waitHealthy } from './ministack.ts';

const { values } = parseArgs({
  options: {
    env: { type: 'string', default: 'dev' },
    app: { type: 'string' },
    endpoint: { type: 'string' },
  },
});
const endpoint = (values.endpoint ?? process.env.AWS_ENDPOINT_URL ?? 'http://localhost:4566').replace(/\/+$/, '');
const region = process.env.AWS_REGION ?? 'us-east-1';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

try {
  await waitHealthy(endpoint, 3_000, undefined).catch(() => {
    throw new Error(`no emulator answers at ${endpoint} — start one with \`docker compose -f localstack.yml up -d\` (or set AWS_ENDPOINT_URL)`);
  });
  let t = Date.now();
  console.log(`synthesizing (env ${values.env}) ...`);
  const outdir = await synthApp({ env: values.env, ...(values.app ? { app: values.app } : {}) });
  console.log(`synthesized in ${Date.now() - t} ms: ${outdir}`);
  t = Date.now();
  const stacks = await deployAssembly(outdir, { endpoint, region, log: (line) => console.log(line) });
  console.log(`deployed ${stacks.length} stack(s) to ${endpoint} in ${Date.now() - t} ms`);
  for (const s of stacks) {
    for (const [k, v] of Object.entries(s.outputs)) console.log(`  ${s.stackName}.${k} = ${v}`);
  }
} catch (err) {
  console.error(`deploy:local failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
