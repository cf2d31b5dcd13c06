import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ECRServiceException,
  GetAuthorizationTokenCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { ConfigurationError } from '@notebook-ship/action-kit';
import { mockClient } from 'aws-sdk-client-mock';
import { createEcrApi, decodeToken, type ExistingImage, type Repository } from '../src/ecr-api';

const mock = mockClient(ECRClient);
const api = createEcrApi(new ECRClient({ region: 'eu-west-1' }), 'eu-west-1');

const repository: Repository = {
  registryId: '123456789012',
  name: 'notebook',
  uri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/notebook',
  tagMutability: 'IMMUTABLE',
};
const DIGEST = `sha256:${'9'.repeat(64)}`;
const MANIFEST = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}';
const image: ExistingImage = {
  digest: DIGEST,
  manifest: MANIFEST,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  tags: ['abc'],
};

function serviceError(name: string): ECRServiceException {
  return new ECRServiceException({ name, $fault: 'client', $metadata: {}, message: `${name} happened` });
}

beforeEach(() => {
  mock.reset();
});

describe('describeRepository', () => {
  it('returns the repository with its URI and tag mutability', async () => {
    mock.on(DescribeRepositoriesCommand, { repositoryNames: ['notebook'], registryId: '123456789012' }).resolves({
      repositories: [
        { registryId: '123456789012', repositoryName: 'notebook', repositoryUri: repository.uri, imageTagMutability: 'IMMUTABLE' },
      ],
    });
    await expect(api.describeRepository('notebook', '123456789012')).resolves.toEqual(repository);
  });

  it('names the missing repository, the registry and the region', async () => {
    mock.on(DescribeRepositoriesCommand).rejects(serviceError('RepositoryNotFoundException'));
    const error = await api.describeRepository('notebook', '123456789012').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe(
      'ECR repository "notebook" does not exist in registry 123456789012 in region eu-west-1. Create it ' +
        '(terraform/ declares it), or fix the "repository" input or the region.',
    );
  });

  it('lets other failures, like a denied permission, through with their AWS error name', async () => {
    mock.on(DescribeRepositoriesCommand).rejects(serviceError('AccessDeniedException'));
    await expect(api.describeRepository('notebook')).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe('findImage', () => {
  it('asks for the manifest as stored, in every media type buildx pushes, and reads all its tags', async () => {
    mock.on(BatchGetImageCommand).resolves({
      images: [{ imageId: { imageDigest: DIGEST, imageTag: 'abc' }, imageManifest: MANIFEST, imageManifestMediaType: image.mediaType }],
      failures: [],
    });
    mock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['abc', 'latest'] }] });

    await expect(api.findImage(repository, 'abc')).resolves.toEqual({ ...image, tags: ['abc', 'latest'] });
    expect(mock.commandCalls(BatchGetImageCommand)[0]?.args[0].input).toEqual({
      registryId: '123456789012',
      repositoryName: 'notebook',
      imageIds: [{ imageTag: 'abc' }],
      acceptedMediaTypes: [
        'application/vnd.oci.image.manifest.v1+json',
        'application/vnd.oci.image.index.v1+json',
        'application/vnd.docker.distribution.manifest.v2+json',
        'application/vnd.docker.distribution.manifest.list.v2+json',
      ],
    });
    expect(mock.commandCalls(DescribeImagesCommand)[0]?.args[0].input.imageIds).toEqual([{ imageDigest: DIGEST }]);
  });

  it('takes the media type from the manifest when ECR leaves it out', async () => {
    mock.on(BatchGetImageCommand).resolves({ images: [{ imageId: { imageDigest: DIGEST }, imageManifest: MANIFEST }] });
    mock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageTags: ['abc'] }] });
    await expect(api.findImage(repository, 'abc')).resolves.toMatchObject({ mediaType: image.mediaType });
  });

  it('returns nothing for a tag that is not there', async () => {
    mock.on(BatchGetImageCommand).resolves({
      images: [],
      failures: [{ imageId: { imageTag: 'abc' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }],
    });
    await expect(api.findImage(repository, 'abc')).resolves.toBeUndefined();
    expect(mock.commandCalls(DescribeImagesCommand)).toHaveLength(0);
  });

  it('fails on any other failure code rather than rebuild blindly', async () => {
    mock.on(BatchGetImageCommand).resolves({
      failures: [{ imageId: { imageTag: 'abc' }, failureCode: 'KmsError', failureReason: 'key disabled' }],
    });
    await expect(api.findImage(repository, 'abc')).rejects.toThrow(
      'ECR could not read image "abc" of notebook: KmsError key disabled',
    );
  });
});

describe('addTag', () => {
  it('puts the existing manifest under the new tag, byte for byte, with its digest', async () => {
    mock.on(PutImageCommand).resolves({});
    await expect(api.addTag(repository, image, 'latest')).resolves.toBe('added');
    expect(mock.commandCalls(PutImageCommand)[0]?.args[0].input).toEqual({
      registryId: '123456789012',
      repositoryName: 'notebook',
      imageManifest: MANIFEST,
      imageManifestMediaType: 'application/vnd.oci.image.index.v1+json',
      imageDigest: DIGEST,
      imageTag: 'latest',
    });
  });

  it('treats a tag that already points at the image as done', async () => {
    mock.on(PutImageCommand).rejects(serviceError('ImageAlreadyExistsException'));
    await expect(api.addTag(repository, image, 'abc')).resolves.toBe('present');
  });

  it('explains an immutable tag that points elsewhere', async () => {
    mock.on(PutImageCommand).rejects(serviceError('ImageTagAlreadyExistsException'));
    await expect(api.addTag(repository, image, 'latest')).rejects.toThrow(
      new ConfigurationError(
        'Tag "latest" already points at another image in notebook, whose tags are immutable (IMMUTABLE): ECR will ' +
          'not move it. Remove "latest" from "tags", or exclude it from tag immutability.',
      ),
    );
  });
});

describe('loginCredentials', () => {
  it('decodes the token into the user and password docker login needs', async () => {
    const expiresAt = new Date('2030-01-01T12:00:00Z');
    const token = Buffer.from('AWS:eyJwYXlsb2FkIjoi:with:colons').toString('base64');
    mock.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [{ authorizationToken: token, expiresAt }] });
    await expect(api.loginCredentials('123456789012')).resolves.toEqual({
      token,
      username: 'AWS',
      password: 'eyJwYXlsb2FkIjoi:with:colons',
      expiresAt,
    });
  });

  it('fails clearly without a token', async () => {
    mock.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [] });
    await expect(api.loginCredentials('123456789012')).rejects.toThrow(
      'ECR returned no authorization token for registry 123456789012.',
    );
  });
});

describe('decodeToken', () => {
  it('refuses a token that is not user:password', () => {
    const message = 'ECR returned an authorization token that is not base64 of "user:password".';
    expect(() => decodeToken(Buffer.from('no-colon').toString('base64'))).toThrow(message);
    expect(() => decodeToken(Buffer.from('AWS:').toString('base64'))).toThrow(message);
  });
});
