import { describe, expect, it } from '@jest/globals';
import { checks } from './checks';
import { loadRepo } from '@notebook-ship/workflows';

const repo = loadRepo();

describe('the workflows keep their contract', () => {
  it.each(Object.keys(checks))('%s', (name) => {
    expect(checks[name]?.(repo)).toEqual([]);
  });

  it('reads every workflow, and the metadata of every action they run', () => {
    expect([...repo.workflows.keys()].sort()).toEqual(
      [
        'ci.yml',
        'deploy.yml',
        'rollback.yml',
        'stage-build-image.yml',
        'stage-deploy-backend.yml',
        'stage-publish-frontend.yml',
        'stage-smoke-test.yml',
        'stage-terraform.yml',
      ].map((file) => `.github/workflows/${file}`),
    );
    expect([...repo.actions.keys()]).toEqual(
      expect.arrayContaining([
        './actions/build-push-image',
        './actions/deploy-ecs',
        './actions/publish-spa',
        './actions/smoke-test',
        './actions/terraform-cloud',
      ]),
    );
    expect(repo.terraformOutputs).toContain('app_url');
  });
});
