import { describe, expect, it } from '@jest/globals';
import { CreateClusterCommand, DescribeClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalAws } from '../src/index';
import { alive } from './alive';

describe('startLocalAws', () => {
  it('gives one endpoint for every service, the ECS fake behind it as well, and stops moto by its PID', async () => {
    const aws = await startLocalAws({ region: 'eu-west-2' });
    try {
      expect(aws.env).toMatchObject({ AWS_ENDPOINT_URL: aws.endpoint, AWS_ENDPOINT_URL_ECS: aws.ecs.endpoint, AWS_REGION: 'eu-west-2' });
      const credentials = { accessKeyId: aws.env.AWS_ACCESS_KEY_ID as string, secretAccessKey: aws.env.AWS_SECRET_ACCESS_KEY as string };
      const s3 = new S3Client({ region: aws.region, endpoint: aws.endpoint, forcePathStyle: true, credentials });
      await s3.send(new CreateBucketCommand({ Bucket: 'notebooks', CreateBucketConfiguration: { LocationConstraint: 'eu-west-2' } }));
      expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((bucket) => bucket.Name)).toEqual(['notebooks']);

      // Through the gateway or directly, it is the same ECS.
      const viaGateway = new ECSClient({ region: aws.region, endpoint: aws.endpoint, credentials });
      await viaGateway.send(new CreateClusterCommand({ clusterName: 'app' }));
      const direct = new ECSClient({ region: aws.region, endpoint: aws.env.AWS_ENDPOINT_URL_ECS, credentials });
      const { clusters } = await direct.send(new DescribeClustersCommand({ clusters: ['app'] }));
      expect(clusters?.[0]).toMatchObject({ clusterArn: `arn:aws:ecs:eu-west-2:${aws.accountId}:cluster/app`, status: 'ACTIVE' });
      expect(aws.describe()).toHaveLength(3);
      expect(alive(aws.pid)).toBe(true);
    } finally {
      await aws.stop();
    }
    expect(alive(aws.pid)).toBe(false);
  });
});
