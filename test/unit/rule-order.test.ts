import type { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { AwsClients } from '../../src/aws/clients';
import { RuleItem, scanRuleTable } from '../../src/aws/rule-tables';
import { matchRoutingRule, parseRoutingRule } from '../../src/domain/routing-rules';
import { byPosition } from '../../src/domain/rule-order';
import type { RoutingRule } from '../../src/domain/types';

const ids = (items: RuleItem[]) => items.map((i) => i.ruleId);
const item = (ruleId: string, position: unknown): RuleItem => ({ ruleId, position, enabled: true, conditions: [], assignmentGroup: ruleId });

describe('byPosition: the order rules are applied and listed in', () => {
  test('lower position first', () => {
    expect(ids([item('b', 20), item('a', 10), item('c', 15)].sort(byPosition))).toEqual(['a', 'c', 'b']);
  });

  test('equal positions by ruleId in code-unit order, not by locale: capitals first, r10 before r9', () => {
    expect(ids([item('apps', 10), item('Net', 10), item('r9', 10), item('r10', 10), item('Apps', 10)].sort(byPosition))).toEqual(['Apps', 'Net', 'apps', 'r10', 'r9']);
  });

  test('an item without a numeric position last (the worker skips it; the admin page shows it)', () => {
    expect(ids([item('no-position', undefined), item('text', '5'), item('z', 99), item('nan', NaN)].sort(byPosition))).toEqual(['z', 'nan', 'no-position', 'text']);
  });
});

describe('scanRuleTable', () => {
  test('reads every page of the scan and returns the items in rule order', async () => {
    const pages = [
      { Items: [item('later', 20), item('net', 10)], LastEvaluatedKey: { ruleId: 'net' } },
      { Items: [item('Mail', 10)], LastEvaluatedKey: undefined },
    ];
    const starts: unknown[] = [];
    const aws = {
      dynamo: {
        send: async (command: ScanCommand) => {
          starts.push(command.input.ExclusiveStartKey);
          return pages[starts.length - 1];
        },
      },
    } as unknown as Pick<AwsClients, 'dynamo'>;
    expect(ids(await scanRuleTable(aws, 'StackFlow_EmailRoutingRule'))).toEqual(['Mail', 'net', 'later']);
    expect(starts).toEqual([undefined, { ruleId: 'net' }]);
  });

  test('the worker applies first the rule the admin page lists first', () => {
    const items = [item('network', 10), item('Helpdesk', 10), item('apps', 10)];
    const listed = [...items].sort(byPosition);
    const rules = items.map((i) => parseRoutingRule(i) as RoutingRule);
    const applied = matchRoutingRule(rules, { sender: 'anna@example.com', subject: 'VPN', recipients: [], headers: {} }, 4);
    expect(applied.ruleId).toBe(listed[0].ruleId);
    expect(applied.ruleId).toBe('Helpdesk');
  });
});
