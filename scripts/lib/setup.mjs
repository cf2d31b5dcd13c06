// The set-up that `npm test` and `npm start` do for themselves on a fresh clone; fast when already done.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repo.mjs';
import { sh } from './shell.mjs';

const lockFile = join(repoRoot, 'package-lock.json');
const stampFile = join(repoRoot, 'node_modules', '.install-stamp');

/** `npm ci` when node_modules is missing or was installed from another package-lock.json. */
export async function ensureNodeModules() {
  const stamp = createHash('sha256').update(readFileSync(lockFile)).digest('hex');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === stamp) {
    console.log('node_modules: up to date');
    return;
  }
  await sh('npm', ['ci', '--no-fund', '--no-audit']);
  writeFileSync(stampFile, `${stamp}\n`);
}

/** backend/.venv from backend/requirements.lock, rebuilt only when the lock changed. */
export async function ensureVenv() {
  await sh('python3', ['scripts/bootstrap_venv.py']);
}

export const venvBin = (name) => join(repoRoot, 'backend', '.venv', 'bin', name);
