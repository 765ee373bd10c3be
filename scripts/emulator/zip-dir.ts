/**
 * Zips a directory's contents (at the archive root, as CDK's asset publisher does) without an
 * npm dependency: the `zip` tool when installed, else Python's standard `zipfile` module.
 *
 * @example
 * const bytes = zipDir('cdk.out/asset.1f2e…'); // Buffer of a zip with index.js at its root
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PYTHON_ZIP = `
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(root, name)
            z.write(full, os.path.relpath(full, src))
`;

export function zipDir(dir: string): Buffer {
  const work = mkdtempSync(join(tmpdir(), 'omsched-zip-'));
  const out = join(work, 'asset.zip');
  try {
    const zip = spawnSync('zip', ['-qrX', out, '.'], { cwd: dir, encoding: 'utf8' });
    if (zip.error || zip.status !== 0) {
      const py = spawnSync('python3', ['-c', PYTHON_ZIP, dir, out], { encoding: 'utf8' });
      if (py.error || py.status !== 0) {
        throw new Error(`cannot zip ${dir}: neither \`zip\` nor \`python3\` worked (${zip.error?.message ?? zip.stderr} / ${py.error?.message ?? py.stderr})`);
      }
    }
    return readFileSync(out);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
