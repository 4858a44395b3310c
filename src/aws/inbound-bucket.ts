// The bucket SES stores received mail in: created in the configured region, with the policy
// statement that lets SES put objects there.
import { BucketLocationConstraint, CreateBucketCommand, GetBucketPolicyCommand, HeadBucketCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { AwsClients } from './clients';
import { sesPutStatement, SesPutTarget, withSesPutStatement } from './ses-bucket-policy';

const status = (err: unknown) => (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

export async function ensureBucket(aws: AwsClients, bucket: string, region: string): Promise<void> {
  try {
    await aws.s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return;
  } catch (err) {
    if (status(err) === 403) throw new Error(`Bucket ${bucket} exists but this account may not use it (another account's, or no s3:ListBucket): choose another INBOUND_BUCKET`);
    // SES stores mail only in a bucket of its own region (without an IAM role of ours).
    if (status(err) === 301) throw new Error(`Bucket ${bucket} exists in another region than ${region}: choose another INBOUND_BUCKET, or the bucket's region as AWS_REGION`);
    if (status(err) !== 404) throw err;
  }
  try {
    await aws.s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        // us-east-1 is the one region that takes no location constraint (AWS refuses one naming it).
        ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
      }),
    );
  } catch (err) {
    if ((err as Error).name === 'BucketAlreadyOwnedByYou') return;
    if ((err as Error).name === 'BucketAlreadyExists') throw new Error(`Bucket ${bucket} belongs to another AWS account (bucket names are global): choose another INBOUND_BUCKET`);
    throw err;
  }
}

/** Adds (or replaces) the statement letting SES store mail for our receipt rule; other statements stay. */
export async function allowSesPuts(aws: AwsClients, target: SesPutTarget): Promise<void> {
  let existing: string | undefined;
  try {
    existing = (await aws.s3.send(new GetBucketPolicyCommand({ Bucket: target.bucket }))).Policy;
  } catch (err) {
    if ((err as Error).name !== 'NoSuchBucketPolicy') throw err;
  }
  await aws.s3.send(new PutBucketPolicyCommand({ Bucket: target.bucket, Policy: withSesPutStatement(existing, sesPutStatement(target)) }));
}
