// Each contract check must catch the mistake it guards against. Every case edits one real file in memory and
// expects the named check to report a new problem matching `expect`.
import { describe, expect, it } from '@jest/globals';
import { checks } from './checks';
import { loadRepo, readRepoFiles } from '@notebook-ship/workflows';

interface Mistake {
  mistake: string;
  check: string;
  file: string;
  /** Exact text that must occur once in the file, and what replaces it. */
  from: string;
  to: string;
  expect: RegExp;
}

const W = '.github/workflows';
const INPUTS = 'every local action step passes only its inputs, and all its required ones';
const CALLS = 'every stage call passes only declared inputs and secrets, all required ones, of the declared types';
const STAGE_OUTPUTS = 'every stage output maps to an output its job declares';
const NEEDS = 'every needs.* reference names a direct need, and an output that job or stage declares';
const STEPS = 'every steps.* reference names an earlier step, and an output it declares';
const DECLARED = 'every inputs.* and stage secrets.* reference is declared';
const TF_OUTPUTS = 'the Terraform outputs the stages hand on are declared in terraform/outputs.tf';
const PINS = 'third-party actions are pinned to a full commit SHA with the version in a comment';
const PERMISSIONS = 'token permissions are minimal: none by default, writes only where they are used';
const CONCURRENCY = 'deploys and rollbacks share one production concurrency group that never cancels a running one';
const CHAIN = 'deploy.yml runs apply → image → backend → front end → smoke test on push to main and on demand';
const CACHE = 'the build cache lives in the mutable cache repository from Terraform, never in the immutable image repository';
const NAMES = 'every stage call names AWS resources from the Terraform outputs, never hard-coded';
const GATE = 'the production environment gates every deploy and rollback before anything changes';
const OIDC = 'AWS is reached through GitHub OIDC with the role from the DEPLOY_ROLE_ARN variable';
const AUTO_ROLLBACK =
  'any failure after the backend or the front end changed rolls back what changed, and the run says what production runs';
const BASE = "the backend deploy renders Terraform's newest task definition, so task settings changed there reach the service";
const KERNEL = 'the backend deploy gives kernel tasks its image, and a rollback the kernels of its revision';
const FIRST = 'a failed first deploy goes back to zero tasks, never to a revision that cannot start';
const ROLLBACK = 'rollback.yml rolls back to a chosen revision and release, by default the previous ones, then smoke-tests';
const TOKEN = 'the smoke test reads the access token from Secrets Manager and masks it first';
const CI = 'CI runs every check on pull requests, terraform validate and test on the locked provider, and the plan except for forks';
const INJECTION = 'run: scripts take workflow values through env, never ${{ }} (no script injection)';
const TIMEOUT = 'every job that runs steps has a timeout';
const APPLY_TOKEN = 'the apply token is an environment secret of production only; pull requests get the plan-only token';

/** What deploy.yml's rollback-backend deploys: the revision that ran before, `previous`, or none after a first deploy. */
const BACKEND_ROLLBACK =
  "      task-definition-arn: >-\n        ${{ needs.backend.outputs.previous-task-definition-arn != ''\n" +
  '        && (needs.backend.outputs.previous-task-definition-arn != needs.backend.outputs.task-definition-arn\n' +
  "        && needs.backend.outputs.previous-task-definition-arn || 'previous') || '' }}";

const AWS_PIN = 'aws-actions/configure-aws-credentials@61815dcd50bd041e203e49132bacad1fd04d2708 # v5.1.1';

const mistakes: Mistake[] = [
  {
    mistake: 'a misspelt input of a local action',
    check: INPUTS,
    file: `${W}/stage-deploy-backend.yml`,
    from: '          cluster: ${{ inputs.cluster }}',
    to: '          clusters: ${{ inputs.cluster }}',
    expect: /"clusters" is not an input of \.\/actions\/deploy-ecs/,
  },
  {
    mistake: 'an action gains a required input the stage does not give',
    check: INPUTS,
    file: 'actions/build-push-image/action.yml',
    from: 'Defaults to `<context>/Dockerfile`.\n    required: false',
    to: 'Defaults to `<context>/Dockerfile`.\n    required: true',
    expect: /required input "dockerfile" of \.\/actions\/build-push-image is not given/,
  },
  {
    mistake: 'a stage input that does not exist',
    check: CALLS,
    file: `${W}/deploy.yml`,
    from: '      app-version: ${{ github.sha }}',
    to: '      version: ${{ github.sha }}',
    expect: /"version" is not an input of \.\/\.github\/workflows\/stage-deploy-backend\.yml/,
  },
  {
    mistake: 'a string for a boolean stage input',
    check: CALLS,
    file: `${W}/deploy.yml`,
    from: "require-reviewed-plan: ${{ github.event_name != 'workflow_dispatch' || inputs.require-reviewed-plan }}",
    to: 'require-reviewed-plan: "yes"',
    expect: /input "require-reviewed-plan" is a boolean but is given "yes"/,
  },
  {
    mistake: 'a required stage input left out',
    check: CALLS,
    file: `${W}/rollback.yml`,
    from: '      service: ${{ needs.terraform.outputs.ecs-service-name }}\n',
    to: '',
    expect: /required input "service" is not given/,
  },
  {
    mistake: 'a secret the stage does not declare',
    check: CALLS,
    file: `${W}/ci.yml`,
    from: '      TF_PLAN_TOKEN: ${{ secrets.TF_PLAN_TOKEN }}\n',
    to: '      TF_TOKEN: ${{ secrets.TF_PLAN_TOKEN }}\n',
    expect: /secret "TF_TOKEN" is not declared by/,
  },
  {
    mistake: 'every secret handed to a stage',
    check: CALLS,
    file: `${W}/ci.yml`,
    from: '    secrets:\n      TF_PLAN_TOKEN: ${{ secrets.TF_PLAN_TOKEN }}\n',
    to: '    secrets: inherit\n',
    expect: /passes every secret \(inherit\)/,
  },
  {
    mistake: 'a stage output read from a job output that is not declared',
    check: STAGE_OUTPUTS,
    file: `${W}/stage-build-image.yml`,
    from: '      image: ${{ steps.image.outputs.image }}',
    to: '      image-ref: ${{ steps.image.outputs.image }}',
    expect: /output "image" reads jobs\.build\.outputs\.image, which is not declared/,
  },
  {
    mistake: 'a stage output that does not exist',
    check: NEEDS,
    file: `${W}/deploy.yml`,
    from: '      image: ${{ needs.image.outputs.image }}',
    to: '      image: ${{ needs.image.outputs.uri }}',
    expect: /needs\.image\.outputs\.uri is not an output of image/,
  },
  {
    mistake: 'an output read from a job that is not a direct need',
    check: NEEDS,
    file: `${W}/deploy.yml`,
    from: '    needs: [terraform, frontend]\n',
    to: '    needs: [frontend]\n',
    expect: /job smoke: reads needs\.terraform\.outputs\.app-url but does not need terraform/,
  },
  {
    mistake: 'a step output that does not exist',
    check: STEPS,
    file: `${W}/stage-deploy-backend.yml`,
    from: 'app-version: ${{ steps.revision.outputs.app-version }}',
    to: 'app-version: ${{ steps.revision.outputs.version }}',
    expect: /steps\.revision\.outputs\.version is not an output of that step/,
  },
  {
    mistake: 'a step reading its own output',
    check: STEPS,
    file: `${W}/stage-deploy-backend.yml`,
    from: 'TASK_DEFINITION: ${{ steps.deploy.outputs.task-definition-arn }}',
    to: 'TASK_DEFINITION: ${{ steps.revision.outputs.app-version }}',
    expect: /steps\.revision is not an earlier step with that id/,
  },
  {
    mistake: 'an action drops an output the workflow reads',
    check: STEPS,
    file: 'actions/deploy-ecs/action.yml',
    from: '  previous-task-definition-arn:\n',
    to: '  previous-task-definition:\n',
    expect: /steps\.deploy\.outputs\.previous-task-definition-arn is not an output of that step/,
  },
  {
    mistake: 'a stage reading an input it does not declare',
    check: DECLARED,
    file: `${W}/stage-publish-frontend.yml`,
    from: 'api-base-url: ${{ inputs.api-base-url }}',
    to: 'api-base-url: ${{ inputs.api-url }}',
    expect: /inputs\.api-url is not a declared input/,
  },
  {
    mistake: 'a stage reading a secret it does not declare',
    check: DECLARED,
    file: `${W}/stage-terraform.yml`,
    from: "token: ${{ inputs.command == 'plan' && secrets.TF_PLAN_TOKEN || secrets.TF_API_TOKEN }}",
    to: "token: ${{ inputs.command == 'plan' && secrets.TF_TOKEN || secrets.TF_API_TOKEN }}",
    expect: /secrets\.TF_TOKEN is not a declared secret of the stage/,
  },
  {
    mistake: 'a renamed Terraform output',
    check: TF_OUTPUTS,
    file: 'terraform/outputs.tf',
    from: 'output "app_url" {',
    to: 'output "application_url" {',
    expect: /reads the Terraform output "app_url", which terraform\/outputs\.tf does not declare/,
  },
  {
    mistake: 'a Terraform output handed on without checking it is there',
    check: TF_OUTPUTS,
    file: `${W}/stage-terraform.yml`,
    from: 'cloudfront_distribution_id app_url access_token_secret_arn deploy_role_arn',
    to: 'cloudfront_distribution_id app_url deploy_role_arn',
    expect: /hands on "access_token_secret_arn" without checking it is there/,
  },
  {
    mistake: 'a third-party action on a moving tag',
    check: PINS,
    file: `${W}/stage-build-image.yml`,
    from: AWS_PIN,
    to: 'aws-actions/configure-aws-credentials@v5 # v5.1.1',
    expect: /configure-aws-credentials@v5 is not pinned to a full commit SHA/,
  },
  {
    mistake: 'a short SHA',
    check: PINS,
    file: `${W}/ci.yml`,
    from: 'hashicorp/setup-terraform@b9cd54a3c349d3f38e8881555d616ced269862dd # v3.1.2',
    to: 'hashicorp/setup-terraform@b9cd54a # v3.1.2',
    expect: /setup-terraform@b9cd54a is not pinned to a full commit SHA/,
  },
  {
    mistake: 'a pin without its version',
    check: PINS,
    file: `${W}/ci.yml`,
    from: 'hashicorp/setup-terraform@b9cd54a3c349d3f38e8881555d616ced269862dd # v3.1.2',
    to: 'hashicorp/setup-terraform@b9cd54a3c349d3f38e8881555d616ced269862dd',
    expect: /has no "# vX\.Y\.Z" version comment/,
  },
  {
    mistake: 'one action pinned to two versions',
    check: PINS,
    file: `${W}/stage-smoke-test.yml`,
    from: AWS_PIN,
    to: 'aws-actions/configure-aws-credentials@7474bc4690e29a8392af63c5b98e7449536d5c3a # v4.3.1',
    expect: /configure-aws-credentials is pinned to .* here, .* elsewhere/,
  },
  {
    mistake: 'write-all for the deploy',
    check: PERMISSIONS,
    file: `${W}/deploy.yml`,
    from: 'permissions: {}\n\n#',
    to: 'permissions: write-all\n\n#',
    expect: /deploy\.yml: top-level permissions grant every scope \(write-all\): write/,
  },
  {
    mistake: 'no top-level permissions in CI',
    check: PERMISSIONS,
    file: `${W}/ci.yml`,
    from: 'permissions:\n  contents: read\n\nconcurrency',
    to: 'concurrency',
    expect: /ci\.yml: no top-level permissions/,
  },
  {
    mistake: 'a write scope the job does not use',
    check: PERMISSIONS,
    file: `${W}/deploy.yml`,
    from: '    timeout-minutes: 5\n    permissions:\n      contents: read\n    steps:',
    to: '    timeout-minutes: 5\n    permissions:\n      contents: write\n    steps:',
    expect: /job production: grants contents: write, which it does not use/,
  },
  {
    mistake: 'id-token: write on a job that never calls AWS',
    check: PERMISSIONS,
    file: `${W}/deploy.yml`,
    from: "      pull-requests: write # the apply result goes into the pull request's plan comment\n",
    to: "      pull-requests: write # the apply result goes into the pull request's plan comment\n      id-token: write\n",
    expect: /job terraform: grants id-token: write, which it does not use/,
  },
  {
    mistake: 'pull-requests: write to read outputs',
    check: PERMISSIONS,
    file: `${W}/rollback.yml`,
    from: '    permissions:\n      contents: read\n    with:\n      command: outputs',
    to: '    permissions:\n      contents: read\n      pull-requests: write\n    with:\n      command: outputs',
    expect: /rollback\.yml job terraform: grants pull-requests: write, which it does not use/,
  },
  {
    mistake: 'a stage configuring AWS without id-token: write',
    check: PERMISSIONS,
    file: `${W}/stage-build-image.yml`,
    from: '      contents: read\n      id-token: write\n',
    to: '      contents: read\n',
    expect: /job build: configures AWS credentials without id-token: write/,
  },
  {
    mistake: 'a caller granting less than its stage asks (GitHub refuses the run)',
    check: PERMISSIONS,
    file: `${W}/deploy.yml`,
    from: '    uses: ./.github/workflows/stage-build-image.yml\n    permissions:\n      contents: read\n      id-token: write\n',
    to: '    uses: ./.github/workflows/stage-build-image.yml\n    permissions:\n      contents: read\n',
    expect: /job image: \.\/\.github\/workflows\/stage-build-image\.yml job build asks for id-token: write/,
  },
  {
    mistake: 'the plan comment without pull-requests: write',
    check: PERMISSIONS,
    file: `${W}/ci.yml`,
    from: '      pull-requests: write # the plan comment\n',
    to: '',
    expect: /ci\.yml job plan: writes the plan comment without pull-requests: write/,
  },
  {
    mistake: 'a deploy cancelled by the next push',
    check: CONCURRENCY,
    file: `${W}/deploy.yml`,
    from: '  group: production\n  cancel-in-progress: false',
    to: '  group: production\n  cancel-in-progress: true',
    expect: /deploy\.yml: concurrency must say cancel-in-progress: false/,
  },
  {
    mistake: 'a deploy without a concurrency group',
    check: CONCURRENCY,
    file: `${W}/deploy.yml`,
    from: 'concurrency:\n  group: production\n  cancel-in-progress: false\n',
    to: '',
    expect: /deploy\.yml: no workflow-level concurrency group/,
  },
  {
    mistake: 'a group per branch',
    check: CONCURRENCY,
    file: `${W}/deploy.yml`,
    from: '  group: production\n',
    to: '  group: production-${{ github.ref }}\n',
    expect: /deploy\.yml: the concurrency group must be one fixed name/,
  },
  {
    mistake: 'a rollback that may run during a deploy',
    check: CONCURRENCY,
    file: `${W}/rollback.yml`,
    from: '  group: production\n',
    to: '  group: rollback\n',
    expect: /use different concurrency groups/,
  },
  {
    mistake: 'a stage with its own concurrency group',
    check: CONCURRENCY,
    file: `${W}/stage-smoke-test.yml`,
    from: '\njobs:\n',
    to: '\nconcurrency: production\n\njobs:\n',
    expect: /stage-smoke-test\.yml: a stage must not set concurrency/,
  },
  {
    mistake: 'no deploy on push to main',
    check: CHAIN,
    file: `${W}/deploy.yml`,
    from: '    branches: [main]',
    to: '    branches: [release]',
    expect: /does not run on push to main/,
  },
  {
    mistake: 'the front end published before the backend is deployed',
    check: CHAIN,
    file: `${W}/deploy.yml`,
    from: '    needs: [terraform, backend]\n',
    to: '    needs: [terraform, image]\n',
    expect: /frontend does not wait for backend/,
  },
  {
    mistake: 'APP_VERSION other than the commit',
    check: CHAIN,
    file: `${W}/deploy.yml`,
    from: '      app-version: ${{ github.sha }}',
    to: '      app-version: latest',
    expect: /backend passes app-version: "latest"/,
  },
  {
    mistake: 'the seeds\' http API URL baked into the front end',
    check: CHAIN,
    file: `${W}/deploy.yml`,
    from: '      api-base-url: "" # same origin: CloudFront routes /api/* to the ALB',
    to: '      api-base-url: http://notebook-alb.eu-west-2.elb.amazonaws.com',
    expect: /frontend passes api-base-url: "http:/,
  },
  {
    mistake: 'a smoke test that does not check the version',
    check: CHAIN,
    file: `${W}/deploy.yml`,
    from: '      expected-version: ${{ github.sha }}',
    to: '      expected-version: ""',
    expect: /expected exactly one job calling stage-smoke-test\.yml expecting/,
  },
  {
    mistake: 'a deploy that leaves the build cache to the default, a tag of the immutable image repository',
    check: CACHE,
    file: `${W}/deploy.yml`,
    from: '      cache-ref: ${{ needs.terraform.outputs.ecr-cache-ref }}\n',
    to: '',
    expect: /deploy\.yml: image passes cache-ref: undefined, expected \$\{\{ needs\.terraform\.outputs\.ecr-cache-ref \}\}/,
  },
  {
    mistake: 'a build stage that drops the cache repository it is given',
    check: CACHE,
    file: `${W}/stage-build-image.yml`,
    from: '          cache-ref: ${{ inputs.cache-ref }}\n',
    to: '',
    expect: /stage-build-image\.yml job build step image: passes cache-ref: undefined/,
  },
  {
    mistake: 'a hard-coded cache repository in the build stage',
    check: CACHE,
    file: `${W}/stage-build-image.yml`,
    from: '          cache-ref: ${{ inputs.cache-ref }}\n',
    to: '          cache-ref: notebook-ship-cache:buildcache\n',
    expect: /step image: passes cache-ref: "notebook-ship-cache:buildcache", expected \$\{\{ inputs\.cache-ref \}\}/,
  },
  {
    mistake: 'a build stage whose cache repository is optional',
    check: CACHE,
    file: `${W}/stage-build-image.yml`,
    from: 'cannot live there.\n        type: string\n        required: true',
    to: 'cannot live there.\n        type: string\n        required: false',
    expect: /cache-ref must be a required input/,
  },
  {
    mistake: 'a hard-coded cluster name',
    check: NAMES,
    file: `${W}/rollback.yml`,
    from: '      cluster: ${{ needs.terraform.outputs.ecs-cluster-name }}',
    to: '      cluster: notebook-ship',
    expect: /rollback\.yml job backend: cluster is "notebook-ship", not the Terraform output/,
  },
  {
    mistake: 'a hard-coded region',
    check: NAMES,
    file: `${W}/deploy.yml`,
    from: '      aws-region: ${{ needs.terraform.outputs.aws-region }}\n      repository:',
    to: '      aws-region: eu-north-1\n      repository:',
    expect: /deploy\.yml job image: aws-region is "eu-north-1"/,
  },
  {
    mistake: 'no environment on the gate',
    check: GATE,
    file: `${W}/deploy.yml`,
    from: '      environment: production\n',
    to: '',
    expect: /deploy\.yml: the Terraform job does not run in the production environment/,
  },
  {
    mistake: 'the terraform stage ignoring its environment',
    check: GATE,
    file: `${W}/stage-terraform.yml`,
    from: '    environment: ${{ inputs.environment }}\n',
    to: '',
    expect: /its job does not run in the environment it is given/,
  },
  {
    mistake: 'the apply token given to the pull request plan',
    check: APPLY_TOKEN,
    file: `${W}/ci.yml`,
    from: '      TF_PLAN_TOKEN: ${{ secrets.TF_PLAN_TOKEN }}\n',
    to: '      TF_API_TOKEN: ${{ secrets.TF_API_TOKEN }}\n',
    expect: /ci\.yml job plan: passes TF_API_TOKEN/,
  },
  {
    mistake: 'the apply token passed as a repository secret to the apply',
    check: APPLY_TOKEN,
    file: `${W}/deploy.yml`,
    from: '    # No secrets passed: the apply token is the production environment\'s TF_API_TOKEN, read by the stage\'s job.\n',
    to: '    secrets:\n      TF_API_TOKEN: ${{ secrets.TF_API_TOKEN }}\n',
    expect: /deploy\.yml job terraform: passes TF_API_TOKEN/,
  },
  {
    mistake: 'the stage planning with the apply token',
    check: APPLY_TOKEN,
    file: `${W}/stage-terraform.yml`,
    from: "token: ${{ inputs.command == 'plan' && secrets.TF_PLAN_TOKEN || secrets.TF_API_TOKEN }}",
    to: 'token: ${{ secrets.TF_API_TOKEN }}',
    expect: /the token must be TF_PLAN_TOKEN for plans/,
  },
  {
    mistake: 'the pull request plan run in the production environment',
    check: APPLY_TOKEN,
    file: `${W}/ci.yml`,
    from: '      command: plan\n',
    to: '      command: plan\n      environment: production\n',
    expect: /a pull request plan must not run in an environment/,
  },
  {
    mistake: 'a rollback job that does not wait for the gate',
    check: GATE,
    file: `${W}/rollback.yml`,
    from: '    name: Roll back backend\n    needs: terraform\n',
    to: '    name: Roll back backend\n',
    expect: /rollback\.yml: backend does not wait for the terraform gate/,
  },
  {
    mistake: 'static AWS keys',
    check: OIDC,
    file: `${W}/stage-smoke-test.yml`,
    from: '          role-session-name: smoke-test-${{ github.run_id }}',
    to: '          role-session-name: smoke-test-${{ github.run_id }}\n          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}',
    expect: /passes aws-access-key-id: static keys instead of OIDC/,
  },
  {
    mistake: 'a hard-coded role in a stage',
    check: OIDC,
    file: `${W}/stage-deploy-backend.yml`,
    from: '          role-to-assume: ${{ inputs.role-to-assume }}',
    to: '          role-to-assume: arn:aws:iam::123456789012:role/deploy',
    expect: /role-to-assume must be \$\{\{ inputs\.role-to-assume \}\}/,
  },
  {
    mistake: 'the role from a secret instead of the repository variable',
    check: OIDC,
    file: `${W}/rollback.yml`,
    from: '      role-to-assume: ${{ vars.DEPLOY_ROLE_ARN }}\n    # No secrets passed',
    to: '      role-to-assume: ${{ secrets.DEPLOY_ROLE }}\n    # No secrets passed',
    expect: /rollback\.yml job terraform: role-to-assume must be \$\{\{ vars\.DEPLOY_ROLE_ARN \}\}/,
  },
  {
    mistake: 'a backend rollback on every run',
    check: AUTO_ROLLBACK,
    file: `${W}/deploy.yml`,
    from: "    if: failure() && needs.backend.outputs.deployment-id != ''\n",
    to: "    if: always() && needs.backend.outputs.deployment-id != ''\n",
    expect: /rollback-backend: its if: must start with failure\(\)/,
  },
  {
    mistake: 'a backend rollback that also runs when ECS never started the deployment',
    check: AUTO_ROLLBACK,
    file: `${W}/deploy.yml`,
    from: "    if: failure() && needs.backend.outputs.deployment-id != ''\n",
    to: '    if: failure()\n',
    expect: /rollback-backend: its if: must require needs\.backend\.outputs\.deployment-id != ''/,
  },
  {
    mistake: 'a backend rollback that ignores a failed front-end publish',
    check: AUTO_ROLLBACK,
    file: `${W}/deploy.yml`,
    from: '    needs: [terraform, backend, frontend, smoke]\n',
    to: '    needs: [terraform, backend, smoke]\n',
    expect: /rollback-backend does not wait for frontend, whose failure must roll back too/,
  },
  {
    mistake: 'a backend rollback that ignores the revision that ran before',
    check: AUTO_ROLLBACK,
    file: `${W}/deploy.yml`,
    from: BACKEND_ROLLBACK,
    to: '      task-definition-arn: ${{ needs.backend.outputs.task-definition-arn }}',
    expect: /rollback-backend must pass task-definition-arn from needs\.backend\.outputs\.previous-task-definition-arn/,
  },
  {
    mistake: 'a front-end rollback that ignores the release that was live',
    check: AUTO_ROLLBACK,
    file: `${W}/deploy.yml`,
    from: "        || (needs.frontend.outputs.previous-release-id != needs.frontend.outputs.release-id\n        && needs.frontend.outputs.previous-release-id || 'previous') }}",
    to: "\n        || 'previous' }}",
    expect: /rollback-frontend must pass rollback-to from needs\.frontend\.outputs\.previous-release-id/,
  },
  {
    mistake: 'a front-end rollback that guesses "previous" after a failed publish',
    check: AUTO_ROLLBACK,
    file: `${W}/deploy.yml`,
    from: "        ${{ needs.frontend.result == 'failure' && needs.rollback-backend.outputs.app-version\n        || (",
    to: '        ${{ (',
    expect: /rollback-frontend must restore the release of needs\.rollback-backend\.outputs\.app-version/,
  },
  {
    mistake: 'a report only after a failed smoke test',
    check: AUTO_ROLLBACK,
    file: `${W}/deploy.yml`,
    from: '    if: always()\n    runs-on: ubuntu-latest',
    to: "    if: failure() && needs.smoke.result == 'failure'\n    runs-on: ubuntu-latest",
    expect: /production: its if: must be always\(\)/,
  },
  {
    mistake: 'a report that does not say what production runs',
    check: AUTO_ROLLBACK,
    file: `${W}/deploy.yml`,
    from: '        run: bash .github/scripts/production-state.sh\n',
    to: '        run: echo done\n',
    expect: /production must run \.github\/scripts\/production-state\.sh/,
  },
  {
    mistake: 'a report that does not name the release rolled back to',
    check: AUTO_ROLLBACK,
    file: `${W}/deploy.yml`,
    from: '          FRONTEND_TO: ${{ needs.rollback-frontend.outputs.release-id }}\n',
    to: '',
    expect: /production does not name rollback-frontend's release-id/,
  },
  {
    mistake: 'a manual rollback that does not say what production runs when it fails',
    check: ROLLBACK,
    file: `${W}/rollback.yml`,
    from: '    needs: [backend, frontend, smoke]\n    if: always()\n',
    to: '    needs: [backend, frontend, smoke]\n',
    expect: /rollback\.yml: no job after smoke with if: always\(\) writes "## Production: <state>"/,
  },
  {
    mistake: 'a backend deploy that renders the running revision, so Terraform changes to the task never deploy',
    check: BASE,
    file: `${W}/deploy.yml`,
    from: '      base-task-definition-arn: ${{ needs.terraform.outputs.ecs-task-definition-arn }}\n',
    to: '',
    expect: /deploy\.yml: backend passes base-task-definition-arn: undefined, expected \$\{\{ needs\.terraform\.outputs\.ecs-task-definition-arn \}\}/,
  },
  {
    mistake: 'a backend stage that drops the base revision it is given',
    check: BASE,
    file: `${W}/stage-deploy-backend.yml`,
    from: '          base-task-definition: ${{ inputs.base-task-definition-arn }}\n',
    to: '',
    expect: /stage-deploy-backend\.yml: the deploy-ecs step must pass base-task-definition/,
  },
  {
    mistake: 'a rollback that also renders a base revision, which deploy-ecs refuses',
    check: BASE,
    file: `${W}/deploy.yml`,
    from: "      scale-to-zero: ${{ needs.backend.outputs.previous-task-definition-arn == '' }}\n",
    to:
      "      scale-to-zero: ${{ needs.backend.outputs.previous-task-definition-arn == '' }}\n" +
      '      base-task-definition-arn: ${{ needs.terraform.outputs.ecs-task-definition-arn }}\n',
    expect: /job rollback-backend: passes base-task-definition-arn with task-definition-arn, which deploy-ecs refuses/,
  },
  {
    mistake: 'a backend deploy that leaves kernel tasks on the image Terraform registered them with',
    check: KERNEL,
    file: `${W}/deploy.yml`,
    from: '      kernel-task-definition-arn: ${{ needs.terraform.outputs.ecs-kernel-task-definition-arn }}\n',
    to: '',
    expect: /deploy\.yml: backend passes kernel-task-definition-arn: undefined, expected \$\{\{ needs\.terraform\.outputs\.ecs-kernel-task-definition-arn \}\}/,
  },
  {
    mistake: 'a backend stage that drops the kernel task definition it is given',
    check: KERNEL,
    file: `${W}/stage-deploy-backend.yml`,
    from: '          kernel-task-definition: ${{ inputs.kernel-task-definition-arn }}\n',
    to: '',
    expect: /stage-deploy-backend\.yml: the deploy-ecs step must pass kernel-task-definition/,
  },
  {
    mistake: 'a rollback that also renders a kernel revision, which deploy-ecs refuses',
    check: KERNEL,
    file: `${W}/deploy.yml`,
    from: "      scale-to-zero: ${{ needs.backend.outputs.previous-task-definition-arn == '' }}\n",
    to:
      "      scale-to-zero: ${{ needs.backend.outputs.previous-task-definition-arn == '' }}\n" +
      '      kernel-task-definition-arn: ${{ needs.terraform.outputs.ecs-kernel-task-definition-arn }}\n',
    expect: /job rollback-backend: passes kernel-task-definition-arn with task-definition-arn, which deploy-ecs refuses/,
  },
  {
    mistake: 'a hard-coded kernel task definition',
    check: NAMES,
    file: `${W}/deploy.yml`,
    from: '      kernel-task-definition-arn: ${{ needs.terraform.outputs.ecs-kernel-task-definition-arn }}\n',
    to: '      kernel-task-definition-arn: notebook-kernel\n',
    expect: /deploy\.yml job backend: kernel-task-definition-arn is "notebook-kernel", not the Terraform output/,
  },
  {
    mistake: 'a hard-coded base revision',
    check: NAMES,
    file: `${W}/deploy.yml`,
    from: '      base-task-definition-arn: ${{ needs.terraform.outputs.ecs-task-definition-arn }}\n',
    to: '      base-task-definition-arn: notebook:3\n',
    expect: /deploy\.yml job backend: base-task-definition-arn is "notebook:3", not the Terraform output/,
  },
  {
    mistake: 'a rollback after a first deploy that looks for "previous", which never completed a deploy',
    check: FIRST,
    file: `${W}/deploy.yml`,
    from: BACKEND_ROLLBACK,
    to:
      "      task-definition-arn: >-\n        ${{ needs.backend.outputs.previous-task-definition-arn != needs.backend.outputs.task-definition-arn\n" +
      "        && needs.backend.outputs.previous-task-definition-arn || 'previous' }}",
    expect: /rollback-backend must pass an empty task-definition-arn when needs\.backend\.outputs\.previous-task-definition-arn is empty/,
  },
  {
    mistake: 'a first deploy that failed its smoke test left running',
    check: FIRST,
    file: `${W}/deploy.yml`,
    from: "      scale-to-zero: ${{ needs.backend.outputs.previous-task-definition-arn == '' }}\n",
    to: '',
    expect: /rollback-backend must pass scale-to-zero: \$\{\{ needs\.backend\.outputs\.previous-task-definition-arn == '' \}\}/,
  },
  {
    mistake: 'a smoke test of a service taken back to zero tasks',
    check: FIRST,
    file: `${W}/deploy.yml`,
    from: " && needs.rollback-backend.outputs.task-definition-arn != ''\n",
    to: '\n',
    expect: /smoke-after-rollback must skip when rollback-backend deployed no revision/,
  },
  {
    mistake: 'a backend stage that drops scale-to-zero',
    check: FIRST,
    file: `${W}/stage-deploy-backend.yml`,
    from: '          scale-to-zero: ${{ inputs.scale-to-zero }}\n',
    to: '',
    expect: /stage-deploy-backend\.yml: the deploy-ecs step must pass scale-to-zero/,
  },
  {
    mistake: 'a backend stage that reads the revision scale-to-zero did not deploy',
    check: FIRST,
    file: `${W}/stage-deploy-backend.yml`,
    from: "        if: steps.deploy.outputs.task-definition-arn != ''\n",
    to: '',
    expect: /step revision: must skip when no revision was deployed/,
  },
  {
    mistake: 'a rollback that must be told which revision',
    check: ROLLBACK,
    file: `${W}/rollback.yml`,
    from: '        default: previous\n      spa-release:',
    to: '        default: ""\n      spa-release:',
    expect: /input task-definition must default to previous/,
  },
  {
    mistake: 'a rollback on every push',
    check: ROLLBACK,
    file: `${W}/rollback.yml`,
    from: 'on:\n  workflow_dispatch:',
    to: 'on:\n  push:\n    branches: [main]\n  workflow_dispatch:',
    expect: /runs on push, workflow_dispatch, not only by hand/,
  },
  {
    mistake: 'a rollback that deploys a new image',
    check: ROLLBACK,
    file: `${W}/rollback.yml`,
    from: '      task-definition-arn: ${{ inputs.task-definition }}',
    to: '      task-definition-arn: ${{ inputs.task-definition }}\n      image: ${{ inputs.spa-release }}',
    expect: /backend must not pass an image/,
  },
  {
    mistake: 'a smoke test that cannot tell the rolled-back version',
    check: ROLLBACK,
    file: `${W}/rollback.yml`,
    from: '      expected-version: ${{ needs.backend.outputs.app-version }}\n',
    to: '',
    expect: /smoke must expect the version rolled back to/,
  },
  {
    mistake: 'no smoke test when only one part is rolled back',
    check: ROLLBACK,
    file: `${W}/rollback.yml`,
    from: "      !cancelled() && needs.terraform.result == 'success'",
    to: "      needs.terraform.result == 'success'",
    expect: /smoke must still run when one part was left alone/,
  },
  {
    mistake: 'an unmasked access token',
    check: TOKEN,
    file: `${W}/stage-smoke-test.yml`,
    from: '          echo "::add-mask::$token"\n',
    to: '',
    expect: /the token must be masked/,
  },
  {
    mistake: 'an access token from somewhere else than Secrets Manager',
    check: TOKEN,
    file: `${W}/stage-smoke-test.yml`,
    from: 'access-token: ${{ steps.token.outputs.access-token }}',
    to: 'access-token: ${{ inputs.url }}',
    expect: /access-token must come from a step reading it with aws secretsmanager get-secret-value/,
  },
  {
    mistake: 'npm test on a runner without terraform (the terraform-test phase fails with CI=true)',
    check: CI,
    file: `${W}/ci.yml`,
    from: '      - uses: hashicorp/setup-terraform@b9cd54a3c349d3f38e8881555d616ced269862dd # v3.1.2\n        with:\n          terraform_version: 1.13.4\n          terraform_wrapper: false\n',
    to: '',
    expect: /job test does not set up terraform \(hashicorp\/setup-terraform\) before \.ci\/run/,
  },
  {
    mistake: 'npm test without the provider mirror',
    check: CI,
    file: `${W}/ci.yml`,
    from: '        env:\n          TF_PROVIDER_MIRROR: ${{ runner.temp }}/terraform-providers\n',
    to: '',
    expect: /must fill a provider mirror \(TF_PLUGIN_CACHE_DIR\) and give it to \.ci\/run as TF_PROVIDER_MIRROR/,
  },
  {
    mistake: 'a provider install that may move off the committed lock',
    check: CI,
    file: `${W}/ci.yml`,
    from: 'init -backend=false -input=false -lockfile=readonly',
    to: 'init -backend=false -input=false -upgrade',
    expect: /must fill the provider mirror with terraform init -lockfile=readonly/,
  },
  {
    mistake: 'a plan attempted for forks, which have no secrets',
    check: CI,
    file: `${W}/ci.yml`,
    from: '      && github.event.pull_request.head.repo.full_name == github.repository\n',
    to: '',
    expect: /must skip pull requests from forks/,
  },
  {
    mistake: 'CI without the system packages and CI=true',
    check: CI,
    file: `${W}/ci.yml`,
    from: '        run: bash .ci/run',
    to: '        run: npm test',
    expect: /no job runs \.ci\/run/,
  },
  {
    mistake: 'a workflow value spliced into a script',
    check: INJECTION,
    file: `${W}/stage-deploy-backend.yml`,
    from: 'echo "APP_VERSION of $TASK_DEFINITION: ${version:-(none)}"',
    to: 'echo "APP_VERSION of ${{ steps.deploy.outputs.task-definition-arn }}: ${version:-(none)}"',
    expect: /step revision: puts \$\{\{ \}\} into its script/,
  },
  {
    mistake: 'a job without a timeout',
    check: TIMEOUT,
    file: `${W}/stage-smoke-test.yml`,
    from: '    timeout-minutes: 20\n',
    to: '',
    expect: /stage-smoke-test\.yml job smoke: no timeout-minutes/,
  },
];

const original = readRepoFiles();
const baseline = loadRepo(original);

describe('each contract check catches the mistake it guards against', () => {
  it('covers every check', () => {
    const covered = new Set(mistakes.map((mistake) => mistake.check));
    expect(Object.keys(checks).filter((name) => !covered.has(name))).toEqual([]);
    expect([...covered].filter((name) => !(name in checks))).toEqual([]);
  });

  it.each(mistakes)('$mistake', ({ check, file, from, to, expect: pattern }) => {
    const text = original.get(file);
    expect(text?.split(from).length).toBe(2);
    const files = new Map(original).set(file, (text as string).split(from).join(to));
    const run = checks[check];
    if (!run) throw new Error(`no check named "${check}"`);
    const before = new Set(run(baseline));
    const found = run(loadRepo(files)).filter((problem) => !before.has(problem));
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(pattern)]));
  });
});
