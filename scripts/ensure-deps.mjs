#!/usr/bin/env node
// Makes `npm start` and `npm test` work on a fresh clone: installs the locked npm packages
// when node_modules is missing or older than package-lock.json. Plain Node, no dependencies.
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const stamp = join(root, 'node_modules', '.om-scheduler-lock-hash');
const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');

if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== hash) {
  console.error('om-scheduler: installing npm packages from package-lock.json (npm ci)…');
  execSync('npm ci --no-audit --no-fund --loglevel=warn', { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  writeFileSync(stamp, hash);
}
