import { spawn } from 'node:child_process';
import { repoRoot } from './repo.mjs';

/** Runs a command with inherited output; rejects with the command line and exit code when it fails. */
export function sh(command, args = [], { cwd = repoRoot, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', (error) => reject(new Error(`${command} could not start: ${error.message}`)));
    child.on('close', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${[command, ...args].join(' ')} exited with ${signal ?? code}`)),
    );
  });
}
