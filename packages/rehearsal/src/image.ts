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

/**
 * `publish` puts the image's manifest into the emulated ECR under that tag (PutImage: moto takes a manifest but no
 * layers), as the push would in AWS: deploy-ecs looks the image up before it updates the service.
 */
export function imageStandIn({
  docker,
  version,
  log,
  publish,
}: {
  docker: () => boolean;
  version: string;
  log: (line: string) => void;
  publish?: (image: string) => Promise<void>;
}) {
  return async (args: StandInArgs): Promise<StepResult> => {
    const result = await buildOrSkip(args, docker, version, log);
    const image = result.outputs.image as string;
    if (publish) {
      await publish(image);
      log(`  ┆ ${image} put into the emulated ECR as a manifest (PutImage), so deploy-ecs finds the image it deploys`);
    }
    return result;
  };
}

async function buildOrSkip(
  { with: inputs, runAction }: StandInArgs,
  docker: () => boolean,
  version: string,
  log: (line: string) => void,
): Promise<StepResult> {
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
}
