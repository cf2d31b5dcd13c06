import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { ConfigurationError } from '@notebook-ship/action-kit';
import { s3SiteBucket } from '../src/s3-api';

const s3 = mockClient(S3Client);
const bucket = s3SiteBucket(new S3Client({ region: 'us-east-1' }), 'site-bucket');

function serviceError(name: string, message = name): S3ServiceException {
  return new S3ServiceException({ name, message, $fault: 'client', $metadata: {} });
}

beforeEach(() => {
  s3.reset();
});

describe('list', () => {
  it('reads every page under the prefix, ETags without quotes', async () => {
    s3.on(ListObjectsV2Command, { ContinuationToken: undefined }).resolves({
      Contents: [{ Key: 'web/index.html', ETag: '"abc"', Size: 3 }],
      IsTruncated: true,
      NextContinuationToken: 'page-2',
    });
    s3.on(ListObjectsV2Command, { ContinuationToken: 'page-2' }).resolves({
      Contents: [{ Key: 'web/assets/a-Ab12Cd34.js', ETag: '"def-2"', Size: 9 }],
    });
    expect(await bucket.list('web/')).toEqual([
      { key: 'web/index.html', etag: 'abc', size: 3 },
      { key: 'web/assets/a-Ab12Cd34.js', etag: 'def-2', size: 9 },
    ]);
    expect(s3.commandCalls(ListObjectsV2Command)[0]?.args[0].input).toMatchObject({ Bucket: 'site-bucket', Prefix: 'web/' });
  });

  it('says which bucket is missing, and which permission is lacking', async () => {
    s3.on(ListObjectsV2Command).rejectsOnce(serviceError('NoSuchBucket')).rejectsOnce(serviceError('AccessDenied'));
    await expect(bucket.list('')).rejects.toThrow(
      new ConfigurationError('Bucket "site-bucket" does not exist (or is in another account): check the "bucket" input.'),
    );
    await expect(bucket.list('')).rejects.toThrow(
      'Access denied trying to list s3://site-bucket/: the job\'s AWS role needs s3:ListBucket on bucket "site-bucket".',
    );
  });
});

describe('put', () => {
  it('sends the headers and the planned MD5 as Content-MD5', async () => {
    s3.on(PutObjectCommand).resolves({});
    await bucket.put({
      key: 'index.html',
      body: Buffer.from('hello'),
      md5: '5d41402abc4b2a76b9719d911017c592',
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'no-cache',
    });
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'site-bucket',
      Key: 'index.html',
      Body: Buffer.from('hello'),
      ContentMD5: 'XUFAKrxLKna5cZ2REBfFkg==',
      ContentType: 'text/html; charset=utf-8',
      CacheControl: 'no-cache',
    });
  });

  it('names the key of a failed upload', async () => {
    s3.on(PutObjectCommand).rejects(serviceError('InternalError', 'We encountered an internal error.'));
    await expect(
      bucket.put({ key: 'a.js', body: Buffer.from(''), md5: '0'.repeat(32), contentType: 'x', cacheControl: 'y' }),
    ).rejects.toMatchObject({
      name: 'InternalError',
      message: 'Could not upload s3://site-bucket/a.js: We encountered an internal error.',
    });
  });
});

describe('read', () => {
  it('returns the bytes of an object', async () => {
    s3.on(GetObjectCommand, { Key: '_releases/r1.json' }).resolves({
      // The part of the SDK's stream mixin that the adapter uses.
      Body: { transformToByteArray: async () => new TextEncoder().encode('{"id":"r1"}') } as never,
    });
    expect((await bucket.read('_releases/r1.json')).toString()).toBe('{"id":"r1"}');
  });
});

describe('remove', () => {
  it('deletes in batches of 1,000 and does nothing for no keys', async () => {
    s3.on(DeleteObjectsCommand).resolves({});
    await bucket.remove([]);
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
    await bucket.remove(Array.from({ length: 2_001 }, (_, index) => `k${index}`));
    const batches = s3.commandCalls(DeleteObjectsCommand).map((call) => call.args[0].input.Delete?.Objects?.length);
    expect(batches).toEqual([1_000, 1_000, 1]);
    expect(s3.commandCalls(DeleteObjectsCommand)[2]?.args[0].input.Delete).toEqual({ Objects: [{ Key: 'k2000' }], Quiet: true });
  });

  it('fails naming the keys S3 refused', async () => {
    s3.on(DeleteObjectsCommand).resolves({
      Errors: [{ Key: 'old.js', Code: 'AccessDenied', Message: 'Access Denied' }],
    });
    await expect(bucket.remove(['old.js', 'kept.js'])).rejects.toThrow(
      'S3 refused to delete 1 objects (old.js: AccessDenied Access Denied).',
    );
  });
});
