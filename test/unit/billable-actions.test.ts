// Billable actions counted from recorded histories (test/histories, real runs) by Temporal Cloud's rules.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { countBillableActions } from '../../src/bench/billable-actions';

const count = (name: string) => {
  const history = historyFromJSON(JSON.parse(readFileSync(join(__dirname, '..', 'histories', `${name}.json`), 'utf8')));
  return countBillableActions(history.events ?? [], { signalActivityTypes: ['signalThread'] });
};

test('a new ticket today: start, the parse activity, one task of local activities, the final upsert', () => {
  const actions = count('v5-new-ticket');
  expect(actions.byRule).toEqual({ workflowStarted: 1, activities: 1, localActivityTasks: 1, searchAttributeUpserts: 1 });
  expect(actions.total).toBe(4);
  expect(actions.memoUpserts).toBe(1);
});

test('the version before local writes cost 7: three activities and two upserts', () => {
  expect(count('v4-new-ticket')).toMatchObject({ total: 7, byRule: { workflowStarted: 1, activities: 3, localActivityTasks: 1, searchAttributeUpserts: 2 } });
});

test('a reply sends one signal to its thread, whether by activity or by local activity', () => {
  expect(count('v5-reply-threaded')).toMatchObject({ total: 4, signalsSent: 1 });
  expect(count('v4-reply-threaded')).toMatchObject({ signalsSent: 1 });
});

test('a quarantine wait costs its timer and the release signal', () => {
  const actions = count('v5-quarantine-release');
  expect(actions.byRule.timers).toBe(1);
  expect(actions.byRule.signalsReceived).toBe(1);
});

test('a retry after a failure is counted as a retry', () => {
  expect(count('v5-retry-after-failure').byRule.activityRetries).toBeGreaterThanOrEqual(1);
});
