// The AWS SDK v3 clients, pointed at real AWS or at the local emulator by configuration alone.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

export interface AwsClients {
  s3: S3Client;
  ses: SESClient;
  sns: SNSClient;
  sqs: SQSClient;
  dynamo: DynamoDBDocumentClient;
  /** The user pool, when the user directory is Cognito (USER_DIRECTORY). */
  cognito: CognitoIdentityProviderClient;
}

export function createAwsClients(aws: { region: string; endpoint: string | undefined; sesEndpoint?: string | undefined }): AwsClients {
  const common = { region: aws.region, ...(aws.endpoint ? { endpoint: aws.endpoint } : {}) };
  return {
    // Path-style addressing: the emulator serves every bucket on one host.
    s3: new S3Client({ ...common, forcePathStyle: Boolean(aws.endpoint) }),
    // A bounded wait: a hung send must end well inside the activity's start-to-close timeout.
    ses: new SESClient({ ...common, ...(aws.sesEndpoint ? { endpoint: aws.sesEndpoint } : {}), requestHandler: { connectionTimeout: 5000, requestTimeout: 30000 } }),
    sns: new SNSClient(common),
    sqs: new SQSClient(common),
    // Bounded like SES: a reporter lookup must fail (and be retried) well inside its activity's timeout.
    cognito: new CognitoIdentityProviderClient({ ...common, requestHandler: { connectionTimeout: 5000, requestTimeout: 10000 } }),
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient(common), { marshallOptions: { removeUndefinedValues: true } }),
  };
}
