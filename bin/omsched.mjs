#!/usr/bin/env node
// The `omsched` binary: registers tsx so the CLI (and users' TypeScript config files) load
// without a build step, then runs the CLI and exits with its code.
import { register } from 'tsx/esm/api';

register();
// The AWS SDK warns on every command that its releases after January 2027 need Node 22; the
// CLI supports Node 20.19+, and a warning per invocation buries the output. Set the variable
// to "false" to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const debug = process.env.OMSCHED_DEBUG === '1';
try {
  const { main } = await import(new URL('../shared/cli/main.ts', import.meta.url).href);
  process.exitCode = await main(process.argv);
} catch (error) {
  // Only reached when the CLI itself cannot load; main() handles everything else.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`omsched: could not start: ${message}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
}
