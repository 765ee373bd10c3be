/**
 * Synthesizes a CDK app and deploys its cloud assembly to an emulator through the
 * CloudFormation API — the same templates and asset bundles `cdk deploy` would ship, without
 * the CLI's bootstrap stack, role assumption or re-synth (see /work/notes/ministack.md §2B:
 * ~0.5 s per stack instead of ~5 s, and it works right after `/_ministack/reset`).
 *
 * @example
 * const out = await synthApp({ env: 'itest' });           // npx cdk synth -c env=itest -o <tmp>
 * const stacks = await deployAssembly(out, { endpoint: 'http://127.0.0.1:4566' });
 * stacks[0]!.outputs;                                       // { QueueUrl: 'http://…', … }
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { EMULATOR_ACCOUNT, EMULATOR_CREDENTIALS, EMULATOR_REGION, REPO_ROOT } from './ministack.ts';
import { zipDir } from './zip-dir.ts';

export interface SynthOptions {
  /** Deployment environment, passed as `-c env=<env>`. */
  readonly env: string;
  /**
   * The app command (`--app`); by default the project's `cdk.json` decides.
   * @default undefined
   */
  readonly app?: string;
  /**
   * Output directory of the cloud assembly.
   * @default a fresh temp dir
   */
  readonly outdir?: string;
  /** Extra `-c key=value` context. */
  readonly context?: Readonly<Record<string, string>>;
  /**
   * Working directory of `cdk synth` (where `cdk.json` is).
   * @default the repository root
   */
  readonly cwd?: string;
}

/**
 * Runs `npx cdk synth` (all stacks, with bundling — never `--exclusively`, which would skip
 * other stacks' bundles) and returns the cloud assembly directory.
 */
export async function synthApp(opts: SynthOptions): Promise<string> {
  mkdirSync(join(REPO_ROOT, '.tmp'), { recursive: true });
  // Under the project (in the git-ignored .tmp/), not the OS temp dir: the infra writes the
  // generated worker entry into the assembly directory, and NodejsFunction refuses an entry
  // outside its projectRoot (the repository).
  const outdir = opts.outdir ?? join(mkdtempSync(join(REPO_ROOT, '.tmp', 'synth-')), 'cdk.out');
  const args = ['cdk', 'synth', '--quiet', '--no-notices', '-c', `env=${opts.env}`, '-o', outdir];
  for (const [k, v] of Object.entries(opts.context ?? {})) args.push('-c', `${k}=${v}`);
  if (opts.app) args.push('--app', opts.app);
  await run('npx', args, {
    cwd: opts.cwd ?? REPO_ROOT,
    env: {
      ...process.env,
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      CDK_DEFAULT_ACCOUNT: EMULATOR_ACCOUNT,
      CDK_DEFAULT_REGION: process.env.AWS_REGION ?? EMULATOR_REGION,
    },
  });
  return outdir;
}

export interface DeployOptions {
  readonly endpoint: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '000000000000' */
  readonly account?: string;
  /**
   * Deploy only these stacks (with the order of the assembly kept).
   * @default every stack
   */
  readonly stacks?: readonly string[];
  /** Progress lines (e.g. `console.log`). */
  readonly log?: (line: string) => void;
  /**
   * How long to wait for one stack.
   * @default 120_000
   */
  readonly timeoutMs?: number;
}

export interface DeployedStack {
  readonly stackName: string;
  readonly status: string;
  readonly outputs: Readonly<Record<string, string>>;
  readonly ms: number;
}

interface ArtifactManifest {
  readonly type: string;
  readonly properties?: {
    readonly templateFile?: string;
    readonly stackName?: string;
    readonly file?: string;
    readonly parameters?: Readonly<Record<string, string>>;
  };
  readonly dependencies?: readonly string[];
}

interface AssetManifest {
  readonly files?: Readonly<
    Record<
      string,
      {
        readonly source: { readonly path?: string; readonly packaging?: 'file' | 'zip'; readonly executable?: readonly string[] };
        readonly destinations: Readonly<Record<string, { readonly bucketName: string; readonly objectKey: string }>>;
      }
    >
  >;
  readonly dockerImages?: Readonly<Record<string, unknown>>;
}

/** A stack of the assembly, in deploy order. */
export interface AssemblyStack {
  readonly id: string;
  readonly stackName: string;
  readonly templateFile: string;
  readonly assetManifests: readonly string[];
}

/** The assembly's stacks in dependency order (a stack after every stack it depends on). */
export function assemblyStacks(outdir: string): AssemblyStack[] {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { artifacts?: Record<string, ArtifactManifest> };
  const artifacts = manifest.artifacts ?? {};
  const ordered: AssemblyStack[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string): void => {
    const a = artifacts[id];
    if (!a || a.type !== 'aws:cloudformation:stack' || state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new Error(`stack dependency cycle at ${id}`);
    state.set(id, 'visiting');
    for (const dep of a.dependencies ?? []) visit(dep);
    state.set(id, 'done');
    const assetManifests = (a.dependencies ?? [])
      .map((d) => artifacts[d])
      .filter((d): d is ArtifactManifest => d?.type === 'cdk:asset-manifest')
      .map((d) => join(outdir, d.properties?.file ?? ''));
    ordered.push({ id, stackName: a.properties?.stackName ?? id, templateFile: join(outdir, a.properties?.templateFile ?? `${id}.template.json`), assetManifests });
  };
  for (const id of Object.keys(artifacts)) visit(id);
  return ordered;
}

/**
 * Uploads the file assets of each stack to S3, writes the CDK bootstrap-version SSM parameter
 * the templates check, then creates (or updates) each stack in dependency order and waits.
 * On failure the error lists the stack's FAILED events.
 */
export async function deployAssembly(outdir: string, opts: DeployOptions): Promise<DeployedStack[]> {
  const region = opts.region ?? EMULATOR_REGION;
  const account = opts.account ?? EMULATOR_ACCOUNT;
  const cfg = { region, endpoint: opts.endpoint, credentials: EMULATOR_CREDENTIALS };
  const s3 = new S3Client({ ...cfg, forcePathStyle: true });
  const ssm = new SSMClient(cfg);
  const cfn = new CloudFormationClient(cfg);
  const log = opts.log ?? (() => {});
  const subst = (s: string): string => s.replaceAll('${AWS::AccountId}', account).replaceAll('${AWS::Region}', region).replaceAll('${AWS::Partition}', 'aws');
  try {
    // The DefaultStackSynthesizer adds a `BootstrapVersion` parameter read from this SSM name
    // and a rule requiring >= 6; `cdk bootstrap` would write it.
    await ssm.send(new PutParameterCommand({ Name: '/cdk-bootstrap/hnb659fds/version', Value: '30', Type: 'String', Overwrite: true }));
    const stacks = assemblyStacks(outdir).filter((s) => !opts.stacks || opts.stacks.includes(s.stackName) || opts.stacks.includes(s.id));
    const uploaded = new Set<string>();
    /** Asset source path (relative to the assembly) -> its S3 URL, for templates over the body limit. */
    const urls = new Map<string, string>();
    const results: DeployedStack[] = [];
    for (const stack of stacks) {
      const t0 = Date.now();
      for (const file of stack.assetManifests) {
        const assets = JSON.parse(readFileSync(file, 'utf8')) as AssetManifest;
        if (assets.dockerImages && Object.keys(assets.dockerImages).length > 0) throw new Error(`${stack.stackName}: Docker image assets are not supported by the emulator deploy`);
        for (const [hash, asset] of Object.entries(assets.files ?? {})) {
          if (!asset.source.path) throw new Error(`${stack.stackName}: asset ${hash} has no source path (executable assets are not supported)`);
          for (const dest of Object.values(asset.destinations)) {
            const bucket = subst(dest.bucketName);
            const key = subst(dest.objectKey);
            if (uploaded.has(`${bucket}/${key}`)) continue;
            await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((e: Error) => {
              if (!/OwnedByYou|AlreadyExists/.test(e.name)) throw e;
            });
            const src = join(outdir, asset.source.path);
            const body = asset.source.packaging === 'zip' ? zipDir(src) : readFileSync(src);
            await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
            uploaded.add(`${bucket}/${key}`);
            urls.set(asset.source.path, `${opts.endpoint}/${bucket}/${key}`);
          }
        }
      }
      const final = await createOrUpdate(cfn, stack, urls.get(basename(stack.templateFile)), opts.timeoutMs ?? 120_000);
      const outputs = Object.fromEntries((final.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
      results.push({ stackName: stack.stackName, status: final.StackStatus ?? '?', outputs, ms: Date.now() - t0 });
      log(`deployed ${stack.stackName}: ${final.StackStatus} in ${Date.now() - t0} ms`);
    }
    return results;
  } finally {
    s3.destroy();
    ssm.destroy();
    cfn.destroy();
  }
}

/** CloudFormation's limit of an inline `TemplateBody`; larger templates go by `TemplateURL` (as `cdk deploy` does). */
const MAX_TEMPLATE_BODY_BYTES = 51_200;

async function createOrUpdate(cfn: CloudFormationClient, stack: AssemblyStack, templateUrl: string | undefined, timeoutMs: number): Promise<Stack> {
  const text = readFileSync(stack.templateFile, 'utf8');
  if (Buffer.byteLength(text) > MAX_TEMPLATE_BODY_BYTES && !templateUrl) throw new Error(`${stack.stackName}: template is over ${MAX_TEMPLATE_BODY_BYTES} bytes and is not an asset of the assembly`);
  const body = Buffer.byteLength(text) > MAX_TEMPLATE_BODY_BYTES ? { TemplateURL: templateUrl } : { TemplateBody: text };
  const capabilities = ['CAPABILITY_IAM' as const, 'CAPABILITY_NAMED_IAM' as const, 'CAPABILITY_AUTO_EXPAND' as const];
  const existing = await describe(cfn, stack.stackName);
  if (existing && existing.StackStatus !== 'ROLLBACK_COMPLETE' && existing.StackStatus !== 'DELETE_COMPLETE') {
    try {
      await cfn.send(new UpdateStackCommand({ StackName: stack.stackName, ...body, Capabilities: capabilities }));
    } catch (err) {
      if (/No updates are to be performed/.test((err as Error).message)) return existing;
      throw err;
    }
  } else {
    await cfn.send(new CreateStackCommand({ StackName: stack.stackName, ...body, Capabilities: capabilities }));
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await describe(cfn, stack.stackName);
    const status = s?.StackStatus ?? 'UNKNOWN';
    if (!status.endsWith('_IN_PROGRESS')) {
      if (status === 'CREATE_COMPLETE' || status === 'UPDATE_COMPLETE') return s!;
      throw new Error(`stack ${stack.stackName} ended ${status}${s?.StackStatusReason ? ` (${s.StackStatusReason})` : ''}:\n${await failedEvents(cfn, stack.stackName)}`);
    }
    if (Date.now() > deadline) throw new Error(`stack ${stack.stackName} still ${status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function describe(cfn: CloudFormationClient, stackName: string): Promise<Stack | undefined> {
  try {
    return (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  } catch (err) {
    if (/does not exist/.test((err as Error).message)) return undefined;
    throw err;
  }
}

async function failedEvents(cfn: CloudFormationClient, stackName: string): Promise<string> {
  const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: stackName }))).StackEvents ?? [];
  const failed = events.filter((e) => e.ResourceStatus?.endsWith('FAILED'));
  return (failed.length ? failed : events.slice(0, 10))
    .map((e) => `  ${e.LogicalResourceId} (${e.ResourceType}) ${e.ResourceStatus}: ${e.ResourceStatusReason ?? ''}`)
    .join('\n');
}

function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<void> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', rej);
    child.on('exit', (code) => (code === 0 ? res() : rej(new Error(`\`${cmd} ${args.join(' ')}\` exited ${code}:\n${output.slice(-4000)}`))));
  });
}
