/**
 * `npm start` — the demo shop (examples/app) on the local runtime.
 *
 *   npm start                    the story, compressed: ~20 virtual minutes in ~30 s
 *   npm start -- --fast          the same story without real-time pacing (a second or so)
 *   npm start -- --real-time     the real clock, until Ctrl-C
 *
 * Colour only on a terminal, and never with NO_COLOR set.
 */
import { shouldColor } from './demo/palette.ts';
import { runRealTime } from './demo/real-time.ts';
import { runDemo } from './demo/story.ts';

const USAGE = 'usage: npm start [-- --fast | --real-time]\n';

async function main(argv: readonly string[]): Promise<number> {
  const known = new Set(['--fast', '--real-time', '--help', '-h']);
  const unknown = argv.filter((a) => !known.has(a));
  if (unknown.length > 0 || argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(unknown.length > 0 ? `unknown option: ${unknown.join(' ')}\n${USAGE}` : USAGE);
    return unknown.length > 0 ? 2 : 0;
  }
  if (argv.includes('--fast') && argv.includes('--real-time')) {
    process.stderr.write(`--fast and --real-time exclude each other\n${USAGE}`);
    return 2;
  }
  const color = shouldColor(process.stdout);
  if (argv.includes('--real-time')) await runRealTime({ color });
  else await runDemo({ fast: argv.includes('--fast'), color });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
