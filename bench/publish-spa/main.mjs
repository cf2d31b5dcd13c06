// `npm run bench -- publish-spa`: the committed publish-spa bundle against `aws s3 sync --delete` (the seeds'
// deploy) on the same emulated S3 in the same run, on a generated Vite-like build of 1,000 files / 40 MB:
//   1. first publish to an empty bucket;
//   2. re-publish after a fresh build of the same content (every file touched: new mtimes, same bytes).
// Goals (issue 7): re-publish at least 4x faster than aws s3 sync with 0 uploads; first publish no slower.
// Each tool gets its own bucket; awscli is given our default concurrency (16) so only the method differs.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMoto } from '@notebook-ship/local-aws';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const bundle = join(repoRoot, 'actions', 'publish-spa', 'dist', 'index.js');
const FILES = 1_000;
const TOTAL_BYTES = 40 * 1024 * 1024;
const CONCURRENCY = 16;
// The machine is shared and the emulator is the bottleneck of a first publish: medians of alternating rounds.
const ROUNDS = 5;

function run(command, args, { env = {}, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}\n${stdout}\n${stderr}`)),
    );
  });
}

async function timed(task) {
  const started = process.hrtime.bigint();
  const value = await task();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, value };
}

const TEXT_KINDS = new Set(['js', 'css', 'svg', 'json']);

/** Minified code is ASCII text, images and fonts are incompressible bytes. */
function payload(kind, size) {
  const bytes = randomBytes(size);
  return TEXT_KINDS.has(kind) ? Buffer.from(bytes.toString('base64').slice(0, size)) : bytes;
}

/** A Vite-like build: index.html, content-hashed chunks and assets of mixed sizes, a few public files. */
async function generateBuild(dist) {
  await mkdir(join(dist, 'assets'), { recursive: true });
  const publicFiles = ['favicon.svg', 'robots.txt', 'manifest.webmanifest', 'apple-touch-icon.png'];
  const kinds = ['js', 'js', 'js', 'css', 'svg', 'woff2', 'webp', 'png', 'wasm', 'json'];
  const count = FILES - publicFiles.length - 1;
  // Sizes from 1 KiB to ~200 KiB (a long tail, like real chunks and images), scaled to the total.
  const weights = Array.from({ length: count }, (_, index) => 1 + ((index * 7919) % 97) ** 2 / 50);
  const scale = (TOTAL_BYTES - 64 * 1024) / weights.reduce((sum, weight) => sum + weight, 0);
  const references = [];
  for (let index = 0; index < count; index++) {
    const kind = kinds[index % kinds.length];
    const content = payload(kind, Math.max(512, Math.round(weights[index] * scale)));
    const hash = createHash('sha256').update(content).digest('base64url').slice(0, 8);
    const file = `assets/chunk${index}-${hash}.${kind}`;
    await writeFile(join(dist, file), content);
    if (index < 20) references.push(file);
  }
  for (const name of publicFiles) await writeFile(join(dist, name), payload(name.split('.').pop(), 16 * 1024));
  const scripts = references.map((file) => `<script type="module" src="/${file}"></script>`).join('\n');
  await writeFile(join(dist, 'index.html'), `<!doctype html><html><head>${scripts}</head><body><div id="root"></div></body></html>\n`);
}

/** New mtimes, same bytes: what a fresh `vite build` of unchanged sources does to every file. */
async function touchAll(dist) {
  const later = new Date(Date.now() + 60_000);
  const entries = await readdir(dist, { recursive: true, withFileTypes: true });
  for (const entry of entries.filter((item) => item.isFile())) await utimes(join(entry.parentPath, entry.name), later, later);
}

async function awsSync(aws, dist, bucket) {
  const stdout = await run('aws', ['--endpoint-url', aws.endpoint, 's3', 'sync', dist, `s3://${bucket}`, '--delete', '--no-progress'], {
    env: aws.env,
  });
  return { uploads: stdout.split('\n').filter((line) => line.startsWith('upload:')).length };
}

async function publishSpa(aws, work, bucket, releaseId) {
  const output = join(work, `output-${bucket}-${releaseId}`);
  await writeFile(output, '');
  await run(process.execPath, [bundle], {
    cwd: work,
    env: {
      ...aws.env,
      AWS_ENDPOINT_URL: aws.endpoint,
      GITHUB_WORKSPACE: work,
      GITHUB_OUTPUT: output,
      'INPUT_BUCKET': bucket,
      'INPUT_WORKING-DIRECTORY': '.',
      'INPUT_BUILD-COMMAND': '',
      'INPUT_DIST-DIR': 'dist',
      'INPUT_RELEASE-ID': releaseId,
      'INPUT_CONCURRENCY': String(CONCURRENCY),
    },
  });
  const outputs = Object.fromEntries(
    [...(await readFile(output, 'utf8')).matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)].map((match) => [match[1], match[3]]),
  );
  if (outputs.uploaded === undefined) throw new Error(`publish-spa set no outputs:\n${await readFile(output, 'utf8')}`);
  return { uploads: Number(outputs.uploaded), skipped: Number(outputs.skipped) };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const work = await mkdtemp(join(tmpdir(), 'bench-publish-spa-'));
const moto = await startMoto();
try {
  const config = join(work, 'aws-config');
  await writeFile(config, `[default]\nregion = us-east-1\ns3 =\n  max_concurrent_requests = ${CONCURRENCY}\n`);
  const aws = {
    endpoint: moto.endpoint,
    env: {
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: config,
      NODE_NO_WARNINGS: '1',
    },
  };
  const dist = join(work, 'dist');
  await generateBuild(dist);
  console.log(
    `build: ${FILES} files, ${(TOTAL_BYTES / 1024 / 1024).toFixed(0)} MiB; concurrency ${CONCURRENCY} for both tools; ` +
      `${ROUNDS} rounds, alternating which tool goes first; moto at ${moto.endpoint}`,
  );

  const samples = { first: { sync: [], ours: [] }, again: { sync: [], ours: [] } };
  const uploads = { first: { sync: [], ours: [] }, again: { sync: [], ours: [] } };
  for (let round = 1; round <= ROUNDS; round++) {
    // Every round starts from empty buckets on an emptied emulator and the build as freshly generated.
    await moto.reset();
    const syncBucket = `bench-sync-${round}`;
    const oursBucket = `bench-publish-spa-${round}`;
    for (const bucket of [syncBucket, oursBucket]) {
      await run('aws', ['--endpoint-url', aws.endpoint, 's3api', 'create-bucket', '--bucket', bucket], { env: aws.env });
    }
    const tools = {
      sync: () => awsSync(aws, dist, syncBucket),
      ours: (releaseId) => publishSpa(aws, work, oursBucket, releaseId),
    };
    const order = round % 2 ? ['sync', 'ours'] : ['ours', 'sync'];
    for (const scenario of ['first', 'again']) {
      if (scenario === 'again') await touchAll(dist);
      for (const tool of order) {
        const { seconds, value } = await timed(() => tools[tool](`${scenario}-${round}`));
        samples[scenario][tool].push(seconds);
        uploads[scenario][tool].push(value.uploads);
      }
    }
    const line = (scenario) =>
      `sync ${samples[scenario].sync.at(-1).toFixed(2)}s / ours ${samples[scenario].ours.at(-1).toFixed(2)}s`;
    console.log(`round ${round}: first publish ${line('first')}; re-publish ${line('again')}`);
  }

  const cell = (scenario, tool) =>
    `${median(samples[scenario][tool]).toFixed(2)}s (${Math.max(...uploads[scenario][tool])} up)`;
  const ratio = (scenario) => median(samples[scenario].sync) / median(samples[scenario].ours);
  const row = (name, scenario) =>
    `${name.padEnd(26)} ${cell(scenario, 'sync').padStart(20)} ${cell(scenario, 'ours').padStart(20)} ` +
    `${`${ratio(scenario).toFixed(1)}x`.padStart(8)}`;
  console.log(`\nmedians${' '.repeat(19)} ${'aws s3 sync'.padStart(20)} ${'publish-spa'.padStart(20)} ${'speed-up'.padStart(8)}`);
  console.log(row('first publish', 'first'));
  console.log(row('re-publish, touched files', 'again'));

  const goals = [
    ['re-publish >= 4x faster than aws s3 sync', ratio('again') >= 4],
    ['re-publish uploads nothing', uploads.again.ours.every((count) => count === 0)],
    ['first publish no slower than aws s3 sync', ratio('first') >= 1],
  ];
  console.log('');
  for (const [goal, met] of goals) console.log(`${met ? 'met   ' : 'MISSED'} ${goal}`);
  if (goals.some(([, met]) => !met)) process.exitCode = 1;
} finally {
  await moto.stop();
  await rm(work, { recursive: true, force: true });
}
