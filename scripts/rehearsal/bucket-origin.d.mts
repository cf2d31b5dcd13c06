import type { S3Client } from '@aws-sdk/client-s3';
import type { Origin } from '../../frontend/scripts/serve.mjs';

export function bucketOrigin(options: { s3: S3Client; bucket: string }): Origin;
