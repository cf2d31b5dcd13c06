// What `npm start` keeps between runs, in a git-ignored folder (.local/npm-start by default): the notebook bucket's
// objects and the access token. Each run still rehearses a first deploy into an empty local AWS; once Terraform has
// made the bucket and the secret, the kept notebooks are put into the bucket and the kept token into the secret, as
// the data of an account outlives a deploy; while the run lasts, the bucket is mirrored back into the folder.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, PutSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { repoRoot } from '../../../scripts/lib/repo.mjs';

export const DEFAULT_STATE_DIR = join(repoRoot, '.local', 'npm-start');
const MARKER = 'npm-start-state.json';
const TOKEN = 'access-token';
const BUCKET = 'notebook-bucket';
const LOCK = 'lock';
const AUDIT_LOG = 'audit.log';
const KNOWN = new Set([MARKER, TOKEN, BUCKET, LOCK, AUDIT_LOG]);
const MARK = { kind: 'notebook-ship npm start state', version: 1 };
const TOKEN_SHAPE = /^[A-Za-z0-9]{16,256}$/;

/** The state folder is not one npm start can use: the message says what is wrong and how to start afresh. */
export class StateError extends Error {}

export interface LocalState {
  dir: string;
  /** The audit log's copy, appended to from run to run. */
  auditLog: string;
  /** The token a previous run kept, if any. */
  savedToken(): string | undefined;
  /** Keeps `token` for the next runs, readable by this user alone (0600). */
  saveToken(token: string): void;
  /** Puts every kept object into `bucket`; resolves with how many. */
  restoreBucket(s3: S3Client, bucket: string): Promise<number>;
  /** Copies `bucket` into the folder every `intervalMs`, and once more on stop(). */
  mirrorBucket(s3: S3Client, bucket: string, intervalMs?: number): BucketMirror;
  /** Lets another npm start use the folder. */
  release(): void;
}

export interface BucketMirror {
  /** One copy now: changed objects written, deleted ones removed. */
  sync(): Promise<void>;
  /** Stops copying after a last copy. */
  stop(): Promise<void>;
}

/**
 * Runs `copy` every `intervalMs` and on sync(), one at a time; a failed one (the local AWS stopping) leaves the copy
 * as the last one did. stop() makes a last one.
 */
export function repeating(copy: () => Promise<void>, intervalMs: number): BucketMirror {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const sync = () => (running = running.then(copy, copy));
  const timer = setInterval(() => void sync().catch(() => undefined), intervalMs);
  timer.unref();
  return {
    sync,
    async stop() {
      if (stopped) return running.catch(() => undefined);
      stopped = true;
      clearInterval(timer);
      await sync();
    },
  };
}

const resetHint = (dir: string) =>
  `run \`npm start -- --reset\` to start afresh (it deletes the notebooks and the token kept there), or delete ${dir}`;

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Writes through a temporary file and a rename, so a crash leaves the old content or the new, never half. */
function writeAtomic(path: string, content: string | Uint8Array, mode = 0o600) {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode });
  chmodSync(temporary, mode);
  renameSync(temporary, path);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() && !entry.name.endsWith('.tmp') ? [path] : [];
  });
}

/** An object key as a path under `root`, or undefined for one that would leave it. */
function keyPath(root: string, key: string): string | undefined {
  const parts = key.split('/');
  if (!key || parts.some((part) => part === '' || part === '.' || part === '..' || part.includes('\\'))) return undefined;
  return join(root, ...parts);
}

/**
 * Removes the state folder, if it holds only what npm start writes there (so a --state-dir pointing at something
 * else is never wiped). Whether there was one.
 */
export function resetState(dir: string): boolean {
  if (!existsSync(dir)) return false;
  if (!statSync(dir).isDirectory()) throw new StateError(`${dir} is not a folder: move or delete it yourself`);
  const foreign = readdirSync(dir).filter((name) => !KNOWN.has(name) && !name.startsWith('.') && !name.endsWith('.tmp'));
  if (foreign.length) {
    throw new StateError(`--reset does not delete ${dir}: it holds files npm start does not write (${foreign.join(', ')}); move or delete it yourself`);
  }
  const lock = readLock(dir);
  if (lock && lock !== process.pid && pidAlive(lock)) throw new StateError(`another npm start (pid ${lock}) uses ${dir}: stop it before --reset`);
  rmSync(dir, { recursive: true, force: true });
  return true;
}

function readLock(dir: string): number | undefined {
  try {
    return Number(readFileSync(join(dir, LOCK), 'utf8').trim());
  } catch {
    return undefined;
  }
}

/**
 * Opens (or creates) the state folder, checks it is npm start's and intact, and takes its lock. Throws a StateError
 * that says how to start afresh when it is not.
 */
export function openState(dir: string = DEFAULT_STATE_DIR): LocalState {
  if (existsSync(dir) && !lstatSync(dir).isDirectory()) throw new StateError(`${dir} is not a folder, so npm start cannot keep its state there: ${resetHint(dir)}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const entries = readdirSync(dir).filter((name) => !name.startsWith('.') && !name.endsWith('.tmp'));
  const markerPath = join(dir, MARKER);
  if (entries.length === 0) {
    writeAtomic(markerPath, `${JSON.stringify(MARK, null, 2)}\n`, 0o644);
    ensureGitIgnored(dir);
  } else if (!entries.includes(MARKER)) {
    throw new StateError(`${dir} is not npm start's state (no ${MARKER}; it holds ${entries.join(', ')}): move it away, or pick another folder with --state-dir`);
  } else {
    let mark: unknown;
    try {
      mark = JSON.parse(readFileSync(markerPath, 'utf8'));
    } catch (error) {
      throw new StateError(`${markerPath} is corrupted (${(error as Error).message}): ${resetHint(dir)}`);
    }
    const { kind, version } = (mark ?? {}) as { kind?: unknown; version?: unknown };
    if (kind !== MARK.kind) throw new StateError(`${markerPath} is not npm start's (kind ${JSON.stringify(kind)}): ${resetHint(dir)}`);
    if (version !== MARK.version) {
      throw new StateError(`${dir} holds npm start state of version ${JSON.stringify(version)}, this npm start reads ${MARK.version}: ${resetHint(dir)}`);
    }
    const foreign = entries.filter((name) => !KNOWN.has(name));
    if (foreign.length) throw new StateError(`${dir} holds files npm start does not write (${foreign.join(', ')}): ${resetHint(dir)}`);
    if (existsSync(join(dir, BUCKET)) && !statSync(join(dir, BUCKET)).isDirectory()) {
      throw new StateError(`${join(dir, BUCKET)} is not a folder: ${resetHint(dir)}`);
    }
  }

  const lock = readLock(dir);
  if (lock && lock !== process.pid && pidAlive(lock)) {
    throw new StateError(`another npm start (pid ${lock}) uses ${dir}: stop it first, or give this one a folder of its own with --state-dir`);
  }
  writeAtomic(join(dir, LOCK), `${process.pid}\n`, 0o644);

  const tokenPath = join(dir, TOKEN);
  const bucketDir = join(dir, BUCKET);
  const readToken = (): string | undefined => {
    if (!existsSync(tokenPath)) return undefined;
    const token = readFileSync(tokenPath, 'utf8').trim();
    if (!TOKEN_SHAPE.test(token)) throw new StateError(`${tokenPath} does not hold a token (16 to 256 letters and digits): ${resetHint(dir)}, or \`npm start -- --rotate-token\` for a new token`);
    // Only this user reads it, whatever happened to the file since.
    if ((statSync(tokenPath).mode & 0o077) !== 0) chmodSync(tokenPath, 0o600);
    return token;
  };
  // Checked now: a bad token file stops the run before anything starts.
  readToken();

  return {
    dir,
    auditLog: join(dir, AUDIT_LOG),
    savedToken: readToken,
    saveToken(token) {
      if (!TOKEN_SHAPE.test(token)) throw new Error('the access token Secrets Manager holds is not 16 to 256 letters and digits: not kept');
      writeAtomic(tokenPath, `${token}\n`, 0o600);
    },
    async restoreBucket(s3, bucket) {
      const files = filesUnder(bucketDir);
      for (const file of files) {
        const key = relative(bucketDir, file).split(sep).join('/');
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: readFileSync(file),
            ...(key.endsWith('.json') ? { ContentType: 'application/json' } : {}),
          }),
        );
      }
      return files.length;
    },
    mirrorBucket(s3, bucket, intervalMs = 1_000) {
      const etags = new Map<string, string>();
      const copy = async () => {
        const listed = new Map<string, string>();
        let token: string | undefined;
        do {
          const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
          for (const item of page.Contents ?? []) if (item.Key) listed.set(item.Key, item.ETag ?? '');
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
        for (const [key, etag] of listed) {
          const path = keyPath(bucketDir, key);
          if (!path || (etags.get(key) === etag && existsSync(path))) continue;
          const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })).catch((error: { name?: string }) => {
            if (error.name === 'NoSuchKey') return { Body: undefined };
            throw error;
          });
          if (!Body) continue;
          writeAtomic(path, await Body.transformToByteArray());
          etags.set(key, etag);
        }
        for (const file of filesUnder(bucketDir)) {
          const key = relative(bucketDir, file).split(sep).join('/');
          if (!listed.has(key)) {
            rmSync(file, { force: true });
            etags.delete(key);
          }
        }
      };
      return repeating(copy, intervalMs);
    },
    release() {
      if (readLock(dir) === process.pid) rmSync(join(dir, LOCK), { force: true });
    },
  };
}

/**
 * What a previous run kept goes back where Terraform made room for it, before any task starts: the objects into the
 * notebook bucket, the token into the access token's secret (the one Terraform generated is kept instead, the first
 * time or when `rotateToken`). Returns the mirror that copies the bucket into the folder until it is stopped.
 */
export async function keepInAccount({
  local,
  s3,
  secrets,
  bucket,
  secretArn,
  rotateToken = false,
  log = () => undefined,
}: {
  local: LocalState;
  s3: S3Client;
  secrets: SecretsManagerClient;
  bucket: string;
  secretArn: string;
  rotateToken?: boolean;
  log?: (line: string) => void;
}): Promise<BucketMirror> {
  const restored = await local.restoreBucket(s3, bucket);
  log(`  ┆ ${restored} object${restored === 1 ? '' : 's'} kept in ${local.dir} put into the bucket ${bucket} (the notebooks of earlier runs)`);
  const saved = rotateToken ? undefined : local.savedToken();
  if (saved) {
    await secrets.send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: saved }));
    log(`  ┆ the access token kept in ${local.dir} put into ${secretArn} (npm start -- --rotate-token makes a new one)`);
  } else {
    const { SecretString: token } = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (!token) throw new Error(`the secret ${secretArn} has no value: terraform/ writes it`);
    local.saveToken(token);
    log(`  ┆ the ${rotateToken ? 'new ' : ''}access token Terraform generated is kept in ${local.dir} for the next runs`);
  }
  return local.mirrorBucket(s3, bucket);
}

/** The folder under the repository must never be committed: it holds a token. */
function ensureGitIgnored(dir: string) {
  if (relative(repoRoot, dir).startsWith('..')) return;
  const result = spawnSync('git', ['check-ignore', '-q', dir], { cwd: repoRoot });
  if (result.status === 1) writeAtomic(join(dir, '.gitignore'), '*\n', 0o644);
}

