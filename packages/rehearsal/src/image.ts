// The image job on a laptop: moto's ECR has no registry API (no docker login, push or registry cache), so with a
// Docker engine build-push-image runs with deploy.yml's inputs but push and cache off, and without one the job is
// skipped; either way the deploy goes on with the tag the build would push, and the task runs from backend/.venv.
import { spawnSync } from 'node:child_process';
import type { StandInArgs, StepResult } from './play';

/** Whether a Docker engine answers (`docker info` succeeds). */
export function dockerEngineAnswers(): boolean {
  // The env is passed explicitly so a caller's PATH (a test's fake docker) is the one searched.
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 20_000, env: process.env }).status === 0;
}

/** Why the image job skips its build without a Docker engine, and what the deploy runs instead. */
export const NO_DOCKER_REASON = 'no Docker engine (`docker info` failed); the task runs the backend from backend/.venv';

export function imageStandIn({ docker, version, log }: { docker: () => boolean; version: string; log: (line: string) => void }) {
  return async ({ with: inputs, runAction }: StandInArgs): Promise<StepResult> => {
    // The tag build-push-image pushes in AWS (where the deploy pins the digest it outputs); nothing is pushed here.
    const image = `${inputs.repository}:${version}`;
    if (!docker()) {
      log(`  ┆ uses: ./actions/build-push-image (not run) with ${Object.entries(inputs).map(([name, value]) => `${name}: ${value}`).join(', ')}`);
      log(`  ┆ the deploy below uses the image reference ${image}`);
      return { outputs: { image, digest: '', skipped: 'false' }, skipped: NO_DOCKER_REASON };
    }
    log("  ┆ with deploy.yml's inputs but push: false, cache: false: the emulated ECR cannot receive an image (moto has no");
    log('  ┆ registry API for docker login, push or the build cache), so the image is built and not pushed');
    const outputs = await runAction({ push: 'false', cache: 'false' });
    log(`  ┆ built${outputs.digest ? ` ${outputs.digest}` : ''}, not pushed; the deploy below uses ${image}`);
    return { outputs: { ...outputs, image } };
  };
}
