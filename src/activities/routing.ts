// Routing: the ordered rules of DynamoDB StackFlow_EmailRoutingRule, matched in domain/routing-rules.
import { matchRoutingRule, parseRoutingRule } from '../domain/routing-rules';
import type { RouteInput } from '../domain/inbound-steps';
import { Routing } from '../domain/types';
import { ActivityDeps } from './deps';
import { readParsedEmail } from './inbound-email-store';
import { cachedRuleTable } from './rule-tables';

export function createRouting(deps: ActivityDeps) {
  const rules = cachedRuleTable(deps, deps.config.routingRuleTable, parseRoutingRule);
  return {
    async routeEmail(input: RouteInput): Promise<Routing> {
      const current = await rules();
      // Recipient and header conditions need the whole parse, which stays in S3 (not in history): read it
      // only when a rule has such a condition, not for every email.
      const needsParse = current.some((rule) => rule.enabled && rule.conditions.some((c) => c.field === 'recipient' || c.field.startsWith('header:')));
      const stored = needsParse && input.bucket && input.parsedKey ? await readParsedEmail(deps.aws, input.bucket, input.parsedKey) : null;
      const recipients = stored ? [...stored.to, ...stored.cc].map((a) => a.address) : [];
      const sender = input.senderAuthenticated === false ? null : input.sender;
      return matchRoutingRule(current, { sender, subject: input.subject, recipients, headers: stored?.headers ?? {} }, deps.config.defaultPriority);
    },
  };
}
