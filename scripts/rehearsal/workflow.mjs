// What the rehearsal plays of .github/workflows/deploy.yml on a push to main: its jobs in order, the action each
// stage runs, and the inputs the stage's `with:` gives it in a deploy. scripts/test/workflow.test.ts resolves the
// real workflow files and holds this module to them, so a change there fails a test until the rehearsal follows.

/** deploy.yml's chain on a push to main (the rollback jobs run only after a failed smoke test). */
export const DEPLOY_JOBS = [
  // Terraform runs in Terraform Cloud through ./actions/terraform-cloud; the rehearsal creates the resources itself.
  { job: 'terraform', stage: 'infra', title: 'Terraform apply', action: undefined, timeoutMinutes: undefined },
  { job: 'image', stage: 'image', title: 'Build image', action: 'build-push-image', timeoutMinutes: 30 },
  { job: 'backend', stage: 'backend', title: 'Deploy backend', action: 'deploy-ecs', timeoutMinutes: 40 },
  { job: 'frontend', stage: 'frontend', title: 'Publish front end', action: 'publish-spa', timeoutMinutes: 30 },
  { job: 'smoke', stage: 'smoke', title: 'Smoke test', action: 'smoke-test', timeoutMinutes: 20 },
];

/**
 * The inputs the rehearsal changes from a deploy's, by job: the emulated ECR has no registry API (moto serves no
 * `docker login`, image push or registry cache), so with a Docker engine the image is built and not pushed.
 */
export const REHEARSAL_OVERRIDES = { image: { push: 'false', cache: 'false' } };

/**
 * The action inputs of a deploy.yml job, as its stage's expressions evaluate in a deploy of `sha`.
 * @param {string} job
 * @param {{ outputs: Record<string, string>, sha: string, image?: string, accessToken?: string }} facts
 *   `outputs`: the Terraform outputs (stage-terraform.yml's names); `image`: the image job's output;
 *   `accessToken`: what the smoke stage reads from Secrets Manager.
 * @returns {Record<string, string>}
 */
export function actionInputs(job, { outputs, sha, image = '', accessToken = '' }) {
  const output = (name) => {
    if (outputs[name] === undefined) throw new Error(`the Terraform output "${name}" is missing`);
    return outputs[name];
  };
  switch (job) {
    case 'image':
      return { repository: output('ecr-repository-url'), context: 'backend' };
    case 'backend':
      return {
        cluster: output('ecs-cluster-name'),
        service: output('ecs-service-name'),
        image,
        'container-name': output('ecs-container-name'),
        environment: `APP_VERSION=${sha}`,
        'task-definition-arn': '',
        'timeout-minutes': '15',
      };
    case 'frontend':
      return {
        bucket: output('spa-bucket-name'),
        'distribution-id': output('cloudfront-distribution-id'),
        'api-base-url': '',
        'release-id': sha,
        'rollback-to': '',
        'wait-for-invalidation': 'true',
      };
    case 'smoke':
      return {
        url: output('app-url'),
        'expected-version': sha,
        'access-token': accessToken,
        'timeout-seconds': '300',
      };
    default:
      throw new Error(`deploy.yml job "${job}" runs no action in the rehearsal`);
  }
}
