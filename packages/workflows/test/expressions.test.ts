// The values deploy.yml and its stages pass on, evaluated the way the runner evaluates them.
import { describe, expect, it } from '@jest/globals';
import { evaluateMap, evaluateValue, type Contexts } from '../src/expressions';

const TERRAFORM_OUTPUTS = { aws_region: 'eu-west-1', app_url: 'https://d1.cloudfront.net', desired_count: 1, versioning: true };

const contexts: Contexts = {
  github: { sha: '0123abc', run_id: '4242', event_name: 'push' },
  vars: { DEPLOY_ROLE_ARN: 'arn:aws:iam::123456789012:role/deploy' },
  inputs: { 'app-version': '0123abc', 'timeout-minutes': '15', 'require-reviewed-plan': 'true' },
  needs: { terraform: { outputs: { 'app-url': 'https://d1.cloudfront.net' }, result: 'success' } },
  steps: { terraform: { outputs: { outputs: JSON.stringify(TERRAFORM_OUTPUTS) } } },
};

/** The same contexts with some values replaced, one level deep. */
const withContexts = (changes: Contexts): Contexts =>
  Object.fromEntries(Object.entries(contexts).map(([name, value]) => [name, { ...(value as object), ...(changes[name] as object) }]));

describe('a value with expressions, as the runner passes it on', () => {
  it('reads an output of an earlier job', () => {
    expect(evaluateValue('${{ needs.terraform.outputs.app-url }}', contexts)).toBe('https://d1.cloudfront.net');
  });

  it("formats APP_VERSION=<version> for a version, and nothing for ''", () => {
    const environment = "${{ inputs.app-version != '' && format('APP_VERSION={0}', inputs.app-version) || '' }}";
    expect(evaluateValue(environment, contexts)).toBe('APP_VERSION=0123abc');
    expect(evaluateValue(environment, withContexts({ inputs: { 'app-version': '' } }))).toBe('');
  });

  it("reads a Terraform output from the step's JSON, and '' before the step gave any", () => {
    const region = "${{ fromJSON(steps.terraform.outputs.outputs || '{}').aws_region }}";
    expect(evaluateValue(region, contexts)).toBe('eu-west-1');
    expect(evaluateValue(region, withContexts({ steps: { terraform: { outputs: {} } } }))).toBe('');
    expect(evaluateValue(region, withContexts({ steps: { terraform: { outputs: { outputs: '' } } } }))).toBe('');
  });

  it('gives numbers and booleans as their text, as inputs are strings', () => {
    expect(evaluateValue("${{ fromJSON(steps.terraform.outputs.outputs).desired_count }}", contexts)).toBe('1');
    expect(evaluateValue("${{ fromJSON(steps.terraform.outputs.outputs).versioning }}", contexts)).toBe('true');
    expect(evaluateValue("${{ github.event_name != 'workflow_dispatch' || inputs.require-reviewed-plan }}", contexts)).toBe('true');
    expect(evaluateValue("${{ github.event_name == 'workflow_dispatch' }}", contexts)).toBe('false');
    expect(evaluateValue('${{ 0.5 }}', contexts)).toBe('0.5');
    // YAML scalars that are not strings (`default: 15`, `push: false`).
    expect(evaluateValue(15, contexts)).toBe('15');
    expect(evaluateValue(false, contexts)).toBe('false');
    expect(evaluateValue(null, contexts)).toBe('');
    expect(evaluateValue(undefined, contexts)).toBe('');
  });

  it('replaces an expression inside literal text, and leaves text without one as it is', () => {
    expect(evaluateValue('deploy-backend-${{ github.run_id }}', contexts)).toBe('deploy-backend-4242');
    expect(evaluateValue('smoke-test-${{ github.run_id }}-attempt', contexts)).toBe('smoke-test-4242-attempt');
    expect(evaluateValue('report-${{ github.run_id }}/${{ github.sha }}.json', contexts)).toBe('report-4242/0123abc.json');
    expect(evaluateValue('same origin: /api/*', contexts)).toBe('same origin: /api/*');
    expect(evaluateValue('', contexts)).toBe('');
  });

  it('evaluates two expressions with literal text between them', () => {
    expect(evaluateValue('${{ github.run_id }}-${{ github.sha }}', contexts)).toBe('4242-0123abc');
  });

  it("is '' for what a context does not hold, and an error for a context it does not have", () => {
    expect(evaluateValue('${{ needs.terraform.outputs.never-set }}', contexts)).toBe('');
    expect(evaluateValue('${{ needs.image.outputs.image }}', contexts)).toBe('');
    expect(() => evaluateValue('${{ secrets.TF_API_TOKEN }}', contexts)).toThrow("Unrecognized named-value: 'secrets'");
  });

  it('evaluates every value of a with: map', () => {
    expect(
      evaluateMap(
        { 'role-to-assume': '${{ vars.DEPLOY_ROLE_ARN }}', 'timeout-minutes': '${{ inputs.timeout-minutes }}', 'mask-aws-account-id': false },
        contexts,
      ),
    ).toEqual({ 'role-to-assume': 'arn:aws:iam::123456789012:role/deploy', 'timeout-minutes': '15', 'mask-aws-account-id': 'false' });
    expect(evaluateMap(undefined, contexts)).toEqual({});
  });
});
