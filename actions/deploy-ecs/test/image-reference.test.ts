import { describe, expect, it } from '@jest/globals';
import { parseImageReference } from '../src/image-reference';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

describe('parseImageReference', () => {
  it.each([
    [`${ECR}/notebook@${DIGEST}`, { registry: ECR, repository: 'notebook', tag: '', digest: DIGEST }],
    [`${ECR}/team/notebook:1.2.3`, { registry: ECR, repository: 'team/notebook', tag: '1.2.3', digest: '' }],
    [`${ECR}/notebook:v1@${DIGEST}`, { registry: ECR, repository: 'notebook', tag: 'v1', digest: DIGEST }],
    ['nginx:1.27', { registry: '', repository: 'nginx', tag: '1.27', digest: '' }],
    ['library/nginx', { registry: '', repository: 'library/nginx', tag: '', digest: '' }],
    ['localhost:5000/my_app__x.y-z:latest', { registry: 'localhost:5000', repository: 'my_app__x.y-z', tag: 'latest', digest: '' }],
    ['public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', {
      registry: 'public.ecr.aws',
      repository: 'aws-observability/aws-for-fluent-bit',
      tag: 'stable',
      digest: '',
    }],
  ])('accepts %s', (image, parsed) => {
    expect(parseImageReference(image)).toEqual(parsed);
  });

  it.each([
    [`${ECR}/notebook:`, 'the tag after ":" is empty'],
    [`${ECR}/Notebook:1.2.3`, 'repository names are lower case; registries refuse upper-case letters'],
    [`https://${ECR}/notebook:1`, 'an image reference has no scheme: drop the "…://" in front'],
    [`${ECR}//notebook:1`, 'it has an empty path component: a leading, trailing or doubled "/"'],
    [`${ECR}/notebook/`, 'it has an empty path component'],
    [`${ECR}/notebook@sha256:${'A'.repeat(64)}`, 'the digest after "@" must be sha256: followed by 64 lower-case hex'],
    [`${ECR}/notebook@sha256:abc`, 'the digest after "@" must be sha256:'],
    [`${ECR}/notebook@`, 'the digest after "@" must be sha256:'],
    [`${ECR}/notebook:-x`, 'a tag is up to 128 letters'],
    [`${ECR}/notebook:${'x'.repeat(129)}`, 'a tag is up to 128 letters'],
    [`${ECR}/note--_book:1`, '"note--_book" is not a valid repository path component'],
    ['notebook image', 'it contains whitespace'],
    ['bad_host.example.com/notebook:1', '"bad_host.example.com" is not a valid registry host'],
  ])('refuses %s, saying why', (image, problem) => {
    expect(() => parseImageReference(image)).toThrow(`Input "image" is not a valid image reference (${problem}`);
  });

  it('shows what a valid reference looks like', () => {
    expect(() => parseImageReference('Notebook')).toThrow(
      'Input "image" is not a valid image reference (repository names are lower case; registries refuse upper-case ' +
        'letters): got "Notebook". Expected [registry/]repository[:tag][@sha256:<64 hex>], e.g. ' +
        '123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook@sha256:<digest>.',
    );
  });
});
