// One long-lived workflow per incident: the conversation. It puts the incident's events in one order
// (customer replies, agent comments, notes about automated mail), deduplicates them by id, and emails
// agent comments marked "send to customer". Signal handlers only enqueue; the main loop works the queue,
// and the workflow continues-as-new before its history grows large.
import {
  allHandlersFinished,
  ApplicationFailure,
  ActivityFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { ThreadEntry, ThreadEvent } from '../domain/thread-events';

import { IncidentThreadInput, threadEventSignal, threadQuery, ThreadState } from './contracts';
import { ACTIVITY_RETRY } from './retry';
import { INCIDENT_THREAD_VERSION } from './versions';

const SEEN_LIMIT = 5000;
const RECENT_LIMIT = 50;
const REFERENCES_LIMIT = 20;
const DEFAULT_MAX_EVENTS_PER_RUN = 500;

const { appendCustomerReply, appendAlert, addAgentComment, sendAgentComment, addThreadNote, setThreadState, recordCommentNotSent, loadThreadStart } = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', retry: ACTIVITY_RETRY });

const keepLast = <T>(list: T[], n: number) => (list.length > n ? list.slice(list.length - n) : list);

export async function incidentThread(input: IncidentThreadInput): Promise<void> {
  const { incidentNumber } = input;
  const state: ThreadState = input.state ?? { seen: [], recent: [], total: 0, references: [], closed: false, pending: [] };
  // Every run carries its version (a marker at the very top). Runs of version 1 loaded the thread's start
  // only behind their own patch; their histories replay through the second call.
  const version2 = patched(INCIDENT_THREAD_VERSION);
  // A run without carried-over state (the first, or one started again by a signal after the thread
  // ended) starts from what PostgreSQL knows: closed or not, and the conversation's Message-IDs.
  if (!input.state && (version2 || patched('thread-start-from-database'))) {
    const start = await loadThreadStart({ incidentNumber });
    state.closed = start.closed;
    state.references = start.references;
  }
  const seen = new Set(state.seen);
  const maxEvents = input.maxEventsPerRun ?? DEFAULT_MAX_EVENTS_PER_RUN;

  setHandler(threadEventSignal, (event) => {
    state.pending.push(event);
  });
  setHandler(threadQuery, () => ({ incidentNumber, total: state.total, closed: state.closed, recent: state.recent, pending: state.pending.length }));

  function remember(entry: ThreadEntry | null, messageId?: string | null) {
    if (entry) {
      state.recent = keepLast([...state.recent, entry], RECENT_LIMIT);
      state.total++;
    }
    if (messageId && !state.references.includes(messageId)) state.references = keepLast([...state.references, messageId], REFERENCES_LIMIT);
  }

  async function handle(event: ThreadEvent): Promise<void> {
    switch (event.type) {
      case 'opened':
        remember(null, event.messageId);
        return;
      case 'customer-reply': {
        const entry = await appendCustomerReply({ incidentNumber, reply: event });
        // The activity reopened the incident, unless the sender was not authenticated or the incident's
        // follow-up policy keeps it closed.
        if (state.closed && event.verified !== false && !event.notReopened) state.closed = false;
        remember(entry, event.messageId);
        return;
      }
      case 'agent-comment': {
        remember(await addAgentComment({ incidentNumber, comment: event }));
        if (!event.sendToCustomer) return;
        try {
          const sent = await sendAgentComment({
            incidentNumber,
            commentKey: event.id,
            body: event.body,
            inReplyTo: state.references[state.references.length - 1] ?? null,
            references: state.references,
            ...(event.awaitingCustomer ? { awaitingCustomer: true } : {}),
          });
          if (sent.sent) remember(null, sent.messageId.replace(/^<|>$/g, ''));
        } catch (err) {
          // SES refusing the recipient is recorded on the comment; the thread goes on.
          const cause = err instanceof ActivityFailure ? err.cause : err;
          if (!(cause instanceof ApplicationFailure && cause.nonRetryable)) throw err;
          await recordCommentNotSent({ commentKey: event.id, reason: cause.message });
        }
        return;
      }
      case 'alert':
        remember(await appendAlert({ incidentNumber, alert: event }));
        // A recovery resolves the incident, and the thread ends with it; a new problem reopens it.
        state.closed = event.recovery;
        return;
      case 'note':
        remember(await addThreadNote({ incidentNumber, note: event }));
        return;
      case 'close':
        await setThreadState({ incidentNumber, state: 'closed' });
        state.closed = true;
        return;
    }
  }

  let handledThisRun = 0;
  for (;;) {
    await condition(() => state.pending.length > 0 || (state.closed && allHandlersFinished()));
    while (state.pending.length > 0 && handledThisRun < maxEvents) {
      const event = state.pending.shift()!;
      if (seen.has(event.id)) continue;
      await handle(event);
      seen.add(event.id);
      state.seen = keepLast([...state.seen, event.id], SEEN_LIMIT);
      handledThisRun++;
    }
    // A closed incident's thread ends; a later reply starts it again (signal-with-start).
    if (state.closed && state.pending.length === 0) {
      await condition(allHandlersFinished);
      if (state.pending.length === 0) return;
    }
    if (handledThisRun >= maxEvents || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      // Signals that arrived while handlers finished are carried over in `pending`: none is lost.
      await continueAsNew<typeof incidentThread>({ incidentNumber, state: { ...state, seen: [...seen].slice(-SEEN_LIMIT) }, maxEventsPerRun: input.maxEventsPerRun });
    }
  }
}
