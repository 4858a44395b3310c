// The inbound bucket's policy statement that lets SES store received mail, as AWS documents it
// ("Giving permissions to Amazon SES for email receiving"): principal ses.amazonaws.com, s3:PutObject,
// only for our account and our receipt rule. Without it, creating the receipt rule fails on AWS.
// Pure: the caller reads and writes the policy.

/** Our statement's id: re-running setup replaces it and keeps every other statement of the policy. */
export const SES_PUT_SID = 'AllowSESPuts';

export interface SesPutTarget {
  partition: string;
  region: string;
  account: string;
  bucket: string;
  ruleSet: string;
  rule: string;
}

interface Statement {
  Sid?: string;
  [key: string]: unknown;
}

interface PolicyDocument {
  Version?: string;
  Statement?: Statement[] | Statement;
  [key: string]: unknown;
}

/** The partition and account of an ARN (e.g. the topic's: arn:aws:sns:eu-west-1:111122223333:name). */
export function arnAccount(arn: string): { partition: string; account: string } {
  const [prefix, partition, , , account] = arn.split(':');
  if (prefix !== 'arn' || !partition || !/^\d{12}$/.test(account ?? '')) throw new Error(`Malformed ARN "${arn}": expected arn:partition:service:region:account:...`);
  return { partition, account };
}

export function sesPutStatement(t: SesPutTarget): Statement {
  return {
    Sid: SES_PUT_SID,
    Effect: 'Allow',
    Principal: { Service: 'ses.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: `arn:${t.partition}:s3:::${t.bucket}/*`,
    Condition: {
      StringEquals: {
        'AWS:SourceAccount': t.account,
        'AWS:SourceArn': `arn:${t.partition}:ses:${t.region}:${t.account}:receipt-rule-set/${t.ruleSet}:receipt-rule/${t.rule}`,
      },
    },
  };
}

/** The bucket's policy (JSON, or undefined when it has none) with our statement put in or replaced. */
export function withSesPutStatement(existing: string | undefined, statement: Statement): string {
  const policy: PolicyDocument = existing ? (JSON.parse(existing) as PolicyDocument) : {};
  const statements = policy.Statement === undefined ? [] : Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  return JSON.stringify({
    ...policy,
    Version: policy.Version ?? '2012-10-17',
    Statement: [...statements.filter((s) => s.Sid !== statement.Sid), statement],
  });
}
