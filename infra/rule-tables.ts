// The routing-rule and parsing-rule tables, keyed as `setup` makes them (src/aws/provision.ts): items
// keyed by ruleId, on demand (a few rows, read every RULE_REFRESH_SECONDS). Kept when the stack is deleted.
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { InfraSettings } from './settings';

export interface RuleTables {
  routing: dynamodb.Table;
  parsing: dynamodb.Table;
}

export function ruleTables(scope: Construct, settings: InfraSettings): RuleTables {
  const table = (id: string, tableName: string) =>
    new dynamodb.Table(scope, id, {
      tableName,
      partitionKey: { name: 'ruleId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
  return { routing: table('RoutingRuleTable', settings.routingRuleTable), parsing: table('ParsingRuleTable', settings.parsingRuleTable) };
}
