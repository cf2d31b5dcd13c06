import { describe, expect, it } from '@jest/globals';
import { parseWorkflowCommands, runActionBundle } from '@notebook-ship/action-kit/testing';
import { deployStages, emulatorEnvironment, imageSkipReason } from '../rehearsal/pipeline.mjs';
import { createSupervisor } from '../rehearsal/processes.mjs';

function imageStage(docker: boolean) {
  const lines: string[] = [];
  const { state, run } = deployStages({
    kit: { runActionBundle, parseWorkflowCommands } as never,
    supervisor: createSupervisor(),
    log: (line) => lines.push(line),
    edgePort: 0,
    version: 'abc123',
    workDir: '/nonexistent',
    docker: () => docker,
  });
  state.outputs = { 'ecr-repository-url': '123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook-ship' };
  return { result: run.image(), state, lines };
}

describe('the image stage', () => {
  it('skips without a Docker engine, and the deploy goes on with the tag the image would have', () => {
    const { result, state, lines } = imageStage(false);
    expect(result).toEqual({ skipped: 'no Docker engine (`docker info` failed); the task runs the backend from backend/.venv' });
    expect(state.image).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook-ship:abc123');
    expect(lines).toEqual([
      '  ┆ uses: ./actions/build-push-image (not run) with repository: 123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook-ship, context: backend',
      '  ┆ the deploy below uses the image reference 123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook-ship:abc123',
    ]);
  });

  it('says why build-push-image cannot push to the emulated ECR even with Docker', () => {
    expect(imageStage(true).result).toEqual({ skipped: imageSkipReason(true) });
    expect(imageSkipReason(true)).toContain('the emulated ECR cannot receive an image');
  });
});

describe('the AWS environment of the actions and the task', () => {
  it('reaches the emulator, ECS through the scripted fake, and nothing of the developer\'s own AWS set-up', () => {
    const env = emulatorEnvironment({
      moto: { env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' } },
      fakeEcs: { endpoint: 'http://127.0.0.1:6000' },
      region: 'us-east-1',
      workDir: '/tmp/run',
    });
    expect(env).toEqual({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
      AWS_ENDPOINT_URL_ECS: 'http://127.0.0.1:6000',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/tmp/run/no-aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/tmp/run/no-aws-credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
  });
});
