// terraform/'s buckets carry a TLS-only policy; objects must still go in and out through the local AWS, and the
// policy must read back as Terraform wrote it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { startLocalAws, type LocalAws } from '../src/index';

const BUCKET = 'notebook-ship-spa-123456789012-us-east-1';
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ],
});

describe('bucket policies on the local AWS', () => {
  let aws: LocalAws;
  let s3: S3Client;
  beforeAll(async () => {
    aws = await startLocalAws();
    s3 = new S3Client({
      region: aws.region,
      endpoint: aws.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  afterAll(() => aws?.stop());

  it('has none until one is put, as S3 says', async () => {
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).rejects.toMatchObject({ name: 'NoSuchBucketPolicy' });
  });

  it("gives the policy back as it was sent, and a TLS-only policy does not refuse the objects' reads and writes", async () => {
    await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: POLICY }));
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy).toBe(POLICY);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'index.html', Body: '<title>app</title>' }));
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'index.html' }));
    expect(await object.Body?.transformToString()).toBe('<title>app</title>');
  });

  it('refuses a policy that is not JSON, and forgets a deleted one', async () => {
    await expect(s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: 'allow everything' }))).rejects.toMatchObject({
      name: 'MalformedPolicy',
    });
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: BUCKET }));
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).rejects.toMatchObject({ name: 'NoSuchBucketPolicy' });
  });
});
