// The rule tables (routing rules, parsing rules) are DynamoDB tables read whole: the worker applies the
// rules and the admin page lists them, both in the one order of domain/rule-order.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { byPosition } from '../domain/rule-order';
import type { AwsClients } from './clients';

export type RuleItem = Record<string, unknown>;

/** Every item of the table (all pages of the scan), in rule order. */
export async function scanRuleTable(aws: Pick<AwsClients, 'dynamo'>, table: string): Promise<RuleItem[]> {
  const items: RuleItem[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await aws.dynamo.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.sort(byPosition);
}
