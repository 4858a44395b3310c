import { arnAccount, sesPutStatement, withSesPutStatement } from '../../src/aws/ses-bucket-policy';

const target = { partition: 'aws', region: 'eu-west-1', account: '111122223333', bucket: 'inbox', ruleSet: 'company-mail', rule: 'inbound-to-ticket' };

describe('the SES put statement', () => {
  test("AWS's documented statement: SES may put objects, for our account and our receipt rule only", () => {
    expect(sesPutStatement(target)).toEqual({
      Sid: 'AllowSESPuts',
      Effect: 'Allow',
      Principal: { Service: 'ses.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::inbox/*',
      Condition: {
        StringEquals: {
          'AWS:SourceAccount': '111122223333',
          'AWS:SourceArn': 'arn:aws:ses:eu-west-1:111122223333:receipt-rule-set/company-mail:receipt-rule/inbound-to-ticket',
        },
      },
    });
  });

  test('a bucket without a policy gets one holding only the statement', () => {
    expect(JSON.parse(withSesPutStatement(undefined, sesPutStatement(target)))).toEqual({ Version: '2012-10-17', Statement: [sesPutStatement(target)] });
  });

  test("other statements stay; ours is replaced, not repeated, on a re-run for another rule set", () => {
    const other = { Sid: 'DenyInsecure', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::inbox/*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
    const first = withSesPutStatement(JSON.stringify({ Version: '2012-10-17', Id: 'kept', Statement: other }), sesPutStatement(target));
    const second = withSesPutStatement(first, sesPutStatement({ ...target, ruleSet: 'stackflow-inbound' }));
    const policy = JSON.parse(second);
    expect(policy.Id).toBe('kept');
    expect(policy.Statement).toHaveLength(2);
    expect(policy.Statement[0]).toEqual(other);
    expect(policy.Statement[1].Condition.StringEquals['AWS:SourceArn']).toContain('receipt-rule-set/stackflow-inbound:');
  });
});

describe('arnAccount', () => {
  test.each([
    ['arn:aws:sns:eu-west-1:111122223333:stackflow-inbound-email', 'aws', '111122223333'],
    ['arn:aws-us-gov:sns:us-gov-west-1:123456789012:t', 'aws-us-gov', '123456789012'],
  ])('%s', (arn, partition, account) => expect(arnAccount(arn)).toEqual({ partition, account }));

  test.each(['', 'stackflow-inbound-email', 'arn:aws:sns:eu-west-1::t'])('%p is refused', (arn) => expect(() => arnAccount(arn)).toThrow(/Malformed ARN/));
});
