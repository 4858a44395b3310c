// Routing: the ordered rules of DynamoDB StackFlow_EmailRoutingRule, loaded once and refreshed, matched in domain/.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { matchRoutingRule, parseRoutingRule } from '../domain/routing-rules';
import { Routing, RoutingRule } from '../domain/types';
import { ActivityDeps } from './deps';

const REFRESH_MS = 30_000;

export async function loadRoutingRules({ aws, config }: Pick<ActivityDeps, 'aws' | 'config'>): Promise<RoutingRule[]> {
  const rules: RoutingRule[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await aws.dynamo.send(new ScanCommand({ TableName: config.routingRuleTable, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) {
      const rule = parseRoutingRule(item);
      // A malformed rule is skipped, not fatal: one bad row must not stop all mail.
      if (!('error' in rule)) rules.push(rule);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return rules;
}

export function createRouting(deps: ActivityDeps) {
  let cache: { rules: RoutingRule[]; loadedAt: number } | null = null;
  return {
    async routeEmail(input: { sender: string; subject: string }): Promise<Routing> {
      if (!cache || Date.now() - cache.loadedAt > REFRESH_MS) {
        cache = { rules: await loadRoutingRules(deps), loadedAt: Date.now() };
      }
      return matchRoutingRule(cache.rules, input, deps.config.defaultPriority);
    },
  };
}
