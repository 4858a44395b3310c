// The inbound bucket: SES stores each email at <inbound prefix><SES message id>, the worker stores its
// parse under parsed/. Private, encrypted (SSE-S3, which SES needs no key grant for), TLS only, and raw
// mail expires after the retention (keep it longer than QUARANTINE_RETENTION_DAYS: a release reads it).
import { Aws, Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { InfraSettings } from './settings';

/** Where the worker stores each email's parse and attachments (src/activities/inbound-email-store.ts). */
export const PARSED_PREFIX = 'parsed/';

export function inboundBucket(scope: Construct, settings: InfraSettings): s3.Bucket {
  return new s3.Bucket(scope, 'InboundBucket', {
    bucketName: `${settings.bucketNamePrefix}-${Aws.ACCOUNT_ID}-${Aws.REGION}`,
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    lifecycleRules: [
      { id: 'expire-raw-mail', prefix: settings.inboundPrefix, expiration: Duration.days(settings.rawMailRetentionDays) },
      { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
    ],
  });
}
