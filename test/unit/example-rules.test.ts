// The rule pages' examples: valid as the worker reads them, and the parsing example restricted to a sender
// and named apart from every default rule (Create must not collide with an installed default).
import { DEFAULT_PARSING_RULES, parseParsingRule } from '../../src/domain/parsing-rules';
import { parseRoutingRule } from '../../src/domain/routing-rules';
import { EXAMPLE_PARSING_RULE, EXAMPLE_ROUTING_RULE } from '../../src/web/example-rules';

test('the parsing example is valid, restricted to a sender, and no default rule has its ruleId', () => {
  const parsed = parseParsingRule(EXAMPLE_PARSING_RULE);
  expect(parsed).not.toHaveProperty('error');
  expect(EXAMPLE_PARSING_RULE.match.senderContains).toMatch(/@/);
  expect(DEFAULT_PARSING_RULES.map((r) => r.ruleId)).not.toContain(EXAMPLE_PARSING_RULE.ruleId);
});

test('the routing example is valid', () => {
  expect(parseRoutingRule(EXAMPLE_ROUTING_RULE)).not.toHaveProperty('error');
});
