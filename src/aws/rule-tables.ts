// The rule tables (routing rules, parsing rules) are DynamoDB tables read whole: the worker applies the
// rules and the admin page lists them, both in the one order of domain/rule-order.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
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

/**
 * Stores a rule. With `onlyIfNew` it is stored only when no rule has its ruleId (false: one has), so
 * creating a rule never replaces another, such as an installed default.
 */
export async function putRule(aws: Pick<AwsClients, 'dynamo'>, table: string, item: RuleItem, options: { onlyIfNew: boolean }): Promise<boolean> {
  try {
    await aws.dynamo.send(new PutCommand({ TableName: table, Item: item, ...(options.onlyIfNew ? { ConditionExpression: 'attribute_not_exists(ruleId)' } : {}) }));
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/** Deletes a rule; false when there was none with that ruleId. */
export async function deleteRule(aws: Pick<AwsClients, 'dynamo'>, table: string, ruleId: string): Promise<boolean> {
  const result = await aws.dynamo.send(new DeleteCommand({ TableName: table, Key: { ruleId }, ReturnValues: 'ALL_OLD' }));
  return result.Attributes !== undefined;
}
