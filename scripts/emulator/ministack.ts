/**
 * Starts and stops the MiniStack emulator (PyPI `ministack`, MIT) as a child process, for the
 * integration tests and `npm run deploy:local`. No Docker needed: the pinned package is
 * installed into the project's `.venv` (scripts/python-venv.sh, requirements-dev.txt).
 *
 * When the user already runs an emulator (`docker compose -f localstack.yml up`, or anything
 * else LocalStack-compatible), `OMSCHED_TEST_ENDPOINT` or `AWS_ENDPOINT_URL` names it and
 * nothing is started.
 *
 * @example
 * const emulator = await startEmulator();
 * try {
 *   console.log(emulator.endpoint); // 'http://127.0.0.1:41237'
 * } finally {
 *   await emulator.stop();
 * }
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is scripts/emulator/ministack.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Region and account MiniStack uses by default; dummy credentials it accepts. */
export const EMULATOR_REGION = 'us-east-1';
export const EMULATOR_ACCOUNT = '000000000000';
export const EMULATOR_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/** A running (or user-provided) emulator endpoint. */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:41237`. */
  readonly endpoint: string;
  readonly region: string;
  /** `true` when this process started it (and `stop()` will end it). */
  readonly owned: boolean;
  /** MiniStack's log file (stdout + stderr), when owned. */
  readonly logFile?: string;
  /** Ends the emulator if owned (SIGTERM, wait, then SIGKILL) and removes its temp dir. */
  stop(): Promise<void>;
}

/** Why the emulator cannot run here (the suite reports it as skipped, or fails under CI). */
export class EmulatorUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'EmulatorUnavailableError';
  }
}

export interface StartEmulatorOptions {
  /**
   * An endpoint to use instead of starting one.
   * @default process.env.OMSCHED_TEST_ENDPOINT ?? process.env.AWS_ENDPOINT_URL
   */
  readonly endpoint?: string;
  /**
   * Seconds between the emulator's Scheduler sweeps (see ministack-fast.py).
   * @default 1
   */
  readonly schedulerTickSeconds?: number;
  /**
   * How long to wait for `/_ministack/health`.
   * @default 30_000
   */
  readonly readyTimeoutMs?: number;
  /**
   * MiniStack log level (`INFO` logs every ESM batch and the Lambdas' stdout).
   * @default 'INFO'
   */
  readonly logLevel?: string;
}

/** The endpoint the user asked for, if any. */
export function configuredEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env.OMSCHED_TEST_ENDPOINT || env.AWS_ENDPOINT_URL;
  return value ? value.replace(/\/+$/, '') : undefined;
}

/** Starts MiniStack on a free port (or adopts the configured endpoint) and waits until it is healthy. */
export async function startEmulator(opts: StartEmulatorOptions = {}): Promise<Emulator> {
  const given = opts.endpoint ?? configuredEndpoint();
  if (given) {
    await waitHealthy(given, opts.readyTimeoutMs ?? 10_000, undefined);
    return { endpoint: given, region: process.env.AWS_REGION ?? EMULATOR_REGION, owned: false, stop: async () => {} };
  }

  const python = ensurePythonEnv();
  const port = await freePort();
  // MiniStack writes its pid file and unzips every Lambda's code under TMPDIR, and leaves the
  // code behind on exit: give it a directory of its own and remove it afterwards.
  const dir = mkdtempSync(join(tmpdir(), 'omsched-ministack-'));
  const logFile = join(dir, 'ministack.log');
  const log = createWriteStream(logFile);
  const child = spawn(python, [join(REPO_ROOT, 'scripts', 'emulator', 'ministack-fast.py')], {
    cwd: dir,
    env: {
      ...process.env,
      GATEWAY_PORT: String(port),
      BIND_HOST: '127.0.0.1',
      TMPDIR: dir,
      LOG_LEVEL: opts.logLevel ?? 'INFO',
      MS_SCHEDULER_TICK: String(opts.schedulerTickSeconds ?? 1),
      SFN_WAIT_SCALE: '0.01',
      // Lambda workers inherit it: a handler that leaves `@aws-sdk/*` external (CDK's default,
      // and CDK's own custom-resource handlers) then loads the real SDK instead of MiniStack's stubs.
      NODE_PATH: join(REPO_ROOT, 'node_modules'),
      PERSIST_STATE: '0',
      // Lambda workers run on the host's Node 20; the SDK's "needs Node 22 from 2027" warning on
      // every cold start would drown the log.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = stopper(child, dir, log);
  try {
    await waitHealthy(endpoint, opts.readyTimeoutMs ?? 30_000, child);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, region: EMULATOR_REGION, owned: true, logFile, stop };
}

function stopper(child: ChildProcess, dir: string, log: NodeJS.WritableStream): () => Promise<void> {
  let stopped: Promise<void> | undefined;
  return () => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        const timedOut = await Promise.race([exited.then(() => false), sleep(5_000).then(() => true)]);
        if (timedOut) {
          child.kill('SIGKILL');
          await exited;
        }
      }
      await new Promise<void>((r) => log.end(r));
      if (!process.env.OMSCHED_KEEP_EMULATOR_DIR) rmSync(dir, { recursive: true, force: true });
    })();
    return stopped;
  };
}

/**
 * The venv's python with `ministack` importable, creating `.venv` with scripts/python-venv.sh
 * when it is missing. Throws {@link EmulatorUnavailableError} when python3 is not installed.
 */
export function ensurePythonEnv(): string {
  const override = process.env.OMSCHED_MINISTACK_PYTHON;
  if (override) return override;
  const python = join(REPO_ROOT, '.venv', 'bin', 'python');
  if (existsSync(python) && canImportMinistack(python)) return python;
  const probe = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new EmulatorUnavailableError('python3 is not installed (the MiniStack emulator needs Python 3.10+; or set OMSCHED_TEST_ENDPOINT to a running emulator)');
  }
  const script = join(REPO_ROOT, 'scripts', 'python-venv.sh');
  const built = spawnSync('bash', [script], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (built.status !== 0 || !canImportMinistack(python)) {
    throw new EmulatorUnavailableError(`could not install the emulator: \`bash scripts/python-venv.sh\` exited ${built.status ?? built.signal}`);
  }
  return python;
}

function canImportMinistack(python: string): boolean {
  return spawnSync(python, ['-c', 'import ministack.app'], { stdio: 'ignore' }).status === 0;
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.unref();
    server.on('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => res(port));
    });
  });
}

/** Polls the emulator's health endpoint (MiniStack's, else LocalStack's) until it answers. */
export async function waitHealthy(endpoint: string, timeoutMs: number, child: ChildProcess | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`MiniStack exited with code ${child.exitCode} before it was ready`);
    for (const path of ['/_ministack/health', '/_localstack/health']) {
      try {
        const res = await fetch(endpoint + path, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) return;
        last = `${path}: HTTP ${res.status}`;
      } catch (err) {
        last = `${path}: ${(err as Error).message}`;
      }
    }
    await sleep(100);
  }
  throw new Error(`emulator at ${endpoint} not healthy after ${timeoutMs} ms (${last})`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
