// History figures from the Temporal service for the run's inbound-email workflows (a sample of up to 200):
// events and bytes per email (describe(): historyLength, historySize) and billable actions per email
// (counted from fetchHistory()), by kind; plus the actions the replies caused in the incidents' thread workflows.
import { Client } from '@temporalio/client';
import { incidentThreadWorkflowId, inboundEmailWorkflowId } from '../domain/workflow-ids';
import { BILLING_RULES_SOURCE, countBillableActions } from './billable-actions';
import { max, mean } from './stats';

export interface SampledEmail {
  sesMessageId: string;
  /** 'new-ticket' (ended confirmed), 'reply' (threaded as a reply) or the final stage otherwise. */
  kind: string;
  large: boolean;
  incidentNumber: string | null;
}

interface KindFigures {
  count: number;
  actionsMean: number | null;
  actionsMax: number | null;
  /** Mean actions per email by rule. */
  byRule: Record<string, number>;
  memoUpsertsMean: number | null;
  eventsMean: number | null;
  bytesMean: number | null;
  /** Own history + the actions its thread signals caused in the thread workflow (mean per signal). */
  actionsWithThreadMean: number | null;
}

export interface HistoryFigures {
  sampled: number;
  stillRunning: number;
  events: { mean: number | null; max: number | null; maxLarge: number | null };
  bytes: { mean: number | null; max: number | null; maxLarge: number | null };
  byKind: Record<string, KindFigures>;
  threads: { workflows: number; signals: number; actions: number; actionsPerSignal: number | null };
  billingRules: string;
}

const round = (v: number | null, digits = 2) => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);

async function inParallel<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

/** Waits (briefly) for the workflow to close: PostgreSQL can say "confirmed" a moment before the last upsert. */
async function describeClosed(client: Client, workflowId: string, deadline: number) {
  const handle = client.workflow.getHandle(workflowId);
  for (;;) {
    const d = await handle.describe();
    if (d.status.name !== 'RUNNING' || Date.now() > deadline) return { handle, description: d };
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function historyFigures(client: Client, sample: SampledEmail[]): Promise<HistoryFigures> {
  // One minute in all for workflows still finishing (more would only mean the run timed out).
  const deadline = Date.now() + 60_000;
  const rows = await inParallel(sample, 8, async (email) => {
    const { handle, description } = await describeClosed(client, inboundEmailWorkflowId(email.sesMessageId), deadline);
    const history = await handle.fetchHistory();
    const actions = countBillableActions(history.events ?? [], { signalActivityTypes: ['signalThread'] });
    return { email, running: description.status.name === 'RUNNING', events: description.historyLength, bytes: description.historySize ?? 0, actions };
  });

  // Thread side: the thread workflows of the incidents the sampled emails signalled.
  const threadIds = [...new Set(rows.filter((r) => r.actions.signalsSent > 0 && r.email.incidentNumber).map((r) => incidentThreadWorkflowId(r.email.incidentNumber!)))].slice(0, 100);
  const threadRows = await inParallel(threadIds, 8, async (id) => {
    const events = (await client.workflow.getHandle(id).fetchHistory()).events ?? [];
    return { actions: countBillableActions(events).total, signals: events.filter((e) => e.workflowExecutionSignaledEventAttributes).length };
  });
  const threadActions = threadRows.reduce((a, r) => a + r.actions, 0);
  const signals = threadRows.reduce((a, r) => a + r.signals, 0);
  const perSignal = signals ? threadActions / signals : null;

  const byKind: Record<string, KindFigures> = {};
  for (const kind of [...new Set(rows.map((r) => r.email.kind))]) {
    const of = rows.filter((r) => r.email.kind === kind);
    const rules: Record<string, number> = {};
    for (const r of of) for (const [rule, n] of Object.entries(r.actions.byRule)) rules[rule] = (rules[rule] ?? 0) + n / of.length;
    const totals = of.map((r) => r.actions.total);
    byKind[kind] = {
      count: of.length,
      actionsMean: round(mean(totals)),
      actionsMax: max(totals),
      byRule: Object.fromEntries(Object.entries(rules).map(([k, v]) => [k, round(v)!])),
      memoUpsertsMean: round(mean(of.map((r) => r.actions.memoUpserts))),
      eventsMean: round(mean(of.map((r) => r.events)), 1),
      bytesMean: round(mean(of.map((r) => r.bytes)), 0),
      actionsWithThreadMean: round(mean(of.map((r) => r.actions.total + r.actions.signalsSent * (perSignal ?? 0)))),
    };
  }
  const events = rows.map((r) => r.events);
  const bytes = rows.map((r) => r.bytes);
  const large = rows.filter((r) => r.email.large);
  return {
    sampled: rows.length,
    stillRunning: rows.filter((r) => r.running).length,
    events: { mean: round(mean(events), 1), max: max(events), maxLarge: max(large.map((r) => r.events)) },
    bytes: { mean: round(mean(bytes), 0), max: max(bytes), maxLarge: max(large.map((r) => r.bytes)) },
    byKind,
    threads: { workflows: threadIds.length, signals, actions: threadActions, actionsPerSignal: round(perSignal) },
    billingRules: BILLING_RULES_SOURCE,
  };
}
