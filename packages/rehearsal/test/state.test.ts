// What npm start keeps between runs: each run deploys into an empty account (a new bucket, a new secret from
// Terraform), and the notebooks and token kept in the state folder go back into them before the task starts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { freePort } from '@notebook-ship/local-aws';
import { useMoto } from '@notebook-ship/local-aws/testing';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSupervisor } from '../src/processes';
import { keepInAccount, openState, resetState, StateError, type LocalState } from '../src/state';
import { startTask } from '../src/task';

const moto = useMoto();
const supervisor = createSupervisor({ graceMs: 5_000 });
const folders: string[] = [];
const newFolder = async () => {
  const dir = join(await mkdtemp(join(tmpdir(), 'rehearsal-state-')), 'npm-start');
  folders.push(dir);
  return dir;
};
afterAll(async () => {
  await supervisor.stopAll();
  for (const dir of folders) await rm(join(dir, '..'), { recursive: true, force: true });
});

/** What Terraform's ephemeral aws_secretsmanager_random_password gives: 48 letters and digits. */
const generated = () => randomBytes(36).toString('base64').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 48);

describe('a restart of npm start', () => {
  let s3: S3Client;
  let secrets: SecretsManagerClient;
  let run = 0;
  beforeAll(() => {
    s3 = new S3Client({ endpoint: moto.current.endpoint, forcePathStyle: true });
    secrets = new SecretsManagerClient({ endpoint: moto.current.endpoint });
  });

  /** One run: a fresh bucket and secret as Terraform makes them, the kept state put back, the task serving them. */
  async function rehearse(dir: string, rotateToken = false) {
    run += 1;
    const bucket = `notebook-ship-notebooks-${run}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const terraformToken = generated();
    const { ARN } = await secrets.send(new CreateSecretCommand({ Name: `notebook-ship/access-token-${run}`, SecretString: terraformToken }));
    const local = openState(dir);
    const mirror = await keepInAccount({ local, s3, secrets, bucket, secretArn: ARN as string, rotateToken });
    const token = (await secrets.send(new GetSecretValueCommand({ SecretId: ARN }))).SecretString as string;
    const task = await startTask({
      supervisor,
      environment: { NOTEBOOK_BUCKET: bucket, ACCESS_TOKEN: token },
      awsEnv: moto.current.env,
      port: await freePort(),
    });
    const api = async (path: string, init: RequestInit = {}) => {
      const answer = await fetch(`${task.url}/api${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
      if (!answer.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${answer.status} ${await answer.text()}`);
      return (answer.status === 204 ? {} : answer.json()) as Promise<Record<string, unknown>>;
    };
    const stop = async () => {
      await task.stop();
      await mirror.stop();
      local.release();
    };
    return { local, token, terraformToken, api, stop };
  }

  it('finds the notebooks of the run before, with their connection strings, and the same token unless rotated', async () => {
    const dir = await newFolder();
    const first = await rehearse(dir);
    // The first run keeps the token Terraform generated.
    expect(first.token).toBe(first.terraformToken);
    const { notebook_id: id } = await first.api('/notebooks', { method: 'POST', body: JSON.stringify({ name: 'Kept across runs' }) });
    await first.api(`/notebooks/${id}/db`, { method: 'PUT', body: JSON.stringify({ connection_string: 'postgresql://me:pw@db:5432/app' }) });
    await first.stop();
    const tokenFile = join(dir, 'access-token');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(first.token);

    const second = await rehearse(dir);
    expect(second.token).toBe(first.token);
    expect(second.token).not.toBe(second.terraformToken);
    const { notebooks: listed } = (await second.api('/notebooks')) as { notebooks: { id: string; name: string; db_connection_set: boolean }[] };
    expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ id, name: 'Kept across runs', db_connection_set: true })]));
    const { notebook_id: other } = await second.api('/notebooks', { method: 'POST', body: JSON.stringify({ name: 'Short-lived' }) });
    await second.stop();

    const third = await rehearse(dir, true);
    expect(third.token).toBe(third.terraformToken);
    expect(third.token).not.toBe(first.token);
    const kept = ((await third.api('/notebooks')) as { notebooks: { id: string }[] }).notebooks.map((notebook) => notebook.id);
    expect(kept).toEqual(expect.arrayContaining([id, other]));
    // Deleted in this run: gone in the next.
    await third.api(`/notebooks/${other}`, { method: 'DELETE' });
    await third.stop();
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(third.token);

    const fourth = await rehearse(dir);
    expect(fourth.token).toBe(third.token);
    const ids = ((await fourth.api('/notebooks')) as { notebooks: { id: string }[] }).notebooks.map((notebook) => notebook.id);
    expect(ids).toContain(id);
    expect(ids).not.toContain(other);
    await fourth.stop();
  }, 180_000);
});

describe('the state folder', () => {
  let opened: LocalState | undefined;
  afterEach(() => opened?.release());

  it('is made on first use, readable by this user alone', async () => {
    const dir = await newFolder();
    opened = openState(dir);
    expect(JSON.parse(readFileSync(join(dir, 'npm-start-state.json'), 'utf8'))).toEqual({ kind: 'notebook-ship npm start state', version: 1 });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(opened.savedToken()).toBeUndefined();
  });

  it('keeps the audit log from run to run, and --reset deletes it with the rest', async () => {
    const dir = await newFolder();
    const first = openState(dir);
    expect(first.auditLog).toBe(join(dir, 'audit.log'));
    writeFileSync(first.auditLog, '{"action":"sign_in"}\n', { mode: 0o600 });
    first.release();
    opened = openState(dir);
    expect(readFileSync(opened.auditLog, 'utf8')).toBe('{"action":"sign_in"}\n');
    opened.release();
    opened = undefined;
    resetState(dir);
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses a folder that is not npm start\'s, and --reset leaves it alone', async () => {
    const dir = await newFolder();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'thesis.tex'), 'mine');
    expect(() => openState(dir)).toThrow(StateError);
    expect(() => openState(dir)).toThrow(`${dir} is not npm start's state (no npm-start-state.json; it holds thesis.tex)`);
    expect(() => resetState(dir)).toThrow('--reset does not delete');
    expect(existsSync(join(dir, 'thesis.tex'))).toBe(true);
  });

  it('says how to start afresh when its state is corrupted, and --reset does', async () => {
    const dir = await newFolder();
    openState(dir).release();
    writeFileSync(join(dir, 'npm-start-state.json'), '{"kind": "notebook-ship npm st');
    expect(() => openState(dir)).toThrow(/npm-start-state\.json is corrupted .*: run `npm start -- --reset` to start afresh .*, or delete /);
    resetState(dir);
    expect(existsSync(dir)).toBe(false);
    opened = openState(dir);

    opened.release();
    writeFileSync(join(dir, 'access-token'), 'not a token!\n');
    expect(() => openState(dir)).toThrow(/access-token does not hold a token .*npm start -- --reset.*--rotate-token/);
  });

  it('is used by one npm start at a time', async () => {
    const dir = await newFolder();
    openState(dir).release();
    // A live process that is not this one holds the lock.
    writeFileSync(join(dir, 'lock'), `${process.ppid}\n`);
    expect(() => openState(dir)).toThrow(`another npm start (pid ${process.ppid}) uses ${dir}: stop it first`);
    // One that has exited no longer does.
    writeFileSync(join(dir, 'lock'), '2147483646\n');
    opened = openState(dir);
    expect(readFileSync(join(dir, 'lock'), 'utf8').trim()).toBe(String(process.pid));
  });
});
