// The incident thread's side effects: signalling the thread (with start, so a closed thread is not lost),
// appending customer replies without their quoted history, agent comments and notes, and emailing an
// agent comment to the reporter and participants with the thread's headers and our watermark.
import { Context } from '@temporalio/activity';
import { getIncident } from '../db/incidents';
import { addComment, addParticipants, markCommentNotSent, markCommentSent, recordThreadMessages, threadPeople, threadStart } from '../db/threads';
import { recordExternalNumbers } from '../db/external-numbers';
import { isExternalNumber } from '../domain/external-ticket-numbers';
import { changeIncidentState } from '../db/incident-state';
import { recordDeliveryReport } from '../db/delivery-events';
import { deliveryStatus } from '../domain/delivery-events';
import { agentCommentRecipients } from '../domain/comment-recipients';
import { IncidentState } from '../domain/incident-state';
import { participantsFrom } from '../domain/participants';
import { oneLine, truncate } from '../domain/short-description';
import { AgentComment, AlertUpdate, CustomerReply, ThreadEntry, ThreadEvent, ThreadNote } from '../domain/thread-events';
import { readParsedEmail } from './inbound-email-store';
import { watermarkFor } from '../domain/watermark';
import { incidentThreadWorkflowId } from '../domain/workflow-ids';
import { parseEmail } from '../mail/parse-email';
import { stripQuotedText } from '../mail/strip-quotes';
import { incidentThread, threadEventSignal } from '../workflows';
import { ActivityDeps } from './deps';
import { participantsByPolicy } from './copied-participants';
import { directoryOf } from './user-directory';
import { RawEmailReader } from './raw-email';
import { OutboundResult, sendOutboundEmail } from './outbound-mail';
import { tellSlaResponded, tellSlaState } from './sla-clock';

const excerpt = (text: string) => truncate(oneLine(text), 140);
const entry = (source: ThreadEntry['source'], author: string, body: string): ThreadEntry => ({
  source,
  author,
  excerpt: excerpt(body),
  at: new Date().toISOString(),
});

/** Starts the thread workflow if it is not running and delivers the event: used by every sender of events. */
export async function signalIncidentThread(
  client: Context['client'],
  taskQueue: string,
  incidentNumber: string,
  event: ThreadEvent,
): Promise<void> {
  await client.workflow.signalWithStart(incidentThread, {
    workflowId: incidentThreadWorkflowId(incidentNumber),
    taskQueue,
    args: [{ incidentNumber }],
    signal: threadEventSignal,
    signalArgs: [event],
  });
}

export function createIncidentThreadActivities(deps: ActivityDeps, rawEmail: RawEmailReader) {
  const { pool, aws, config } = deps;
  const directory = directoryOf(deps);

  /**
   * A reply the closed incident's follow-up policy turned away: kept as a note with the reason, so nothing
   * is lost; it reopens nothing, copies no one in and tells the SLA clock nothing.
   */
  async function keepAsNote(incidentNumber: string, reply: CustomerReply, author: string, unverified: boolean, body: string): Promise<ThreadEntry> {
    const note = `Reply to the closed incident; it does not reopen it (${reply.notReopened}):\n\n${body}`;
    await addComment(pool, { incidentNumber, author, body: note, source: 'note', sesMessageId: reply.id, messageId: reply.messageId, unverified });
    if (reply.messageId) await recordThreadMessages(pool, incidentNumber, [reply.messageId], 'inbound');
    return entry('note', unverified ? `${author} (unverified)` : author, note);
  }
  return {
    /** Activity side of a workflow's signal: retried durably, deduplicated by the event id in the thread. */
    async signalThread(input: { incidentNumber: string; event: ThreadEvent }): Promise<void> {
      const context = Context.current();
      await signalIncidentThread(context.client, context.info.taskQueue, input.incidentNumber, input.event);
    },

    async appendCustomerReply(input: { incidentNumber: string; reply: CustomerReply }): Promise<ThreadEntry> {
      const { reply } = input;
      // The re-read of a reply (up to the size limit) counts against the parse budget like its first parse.
      const body = await rawEmail.withRawEmail(reply, async (readRaw) => stripQuotedText((await parseEmail(await readRaw())).bodies) || '(no text)');
      const author = reply.from.name ? `${reply.from.name} <${reply.from.address}>` : reply.from.address;
      // Unverified: SES could not authenticate the sender. Kept for the agent, marked so, moving nothing.
      const unverified = reply.verified === false;
      if (reply.notReopened) return keepAsNote(input.incidentNumber, reply, author, unverified, body);
      const added = await addComment(pool, {
        incidentNumber: input.incidentNumber,
        author,
        body,
        source: 'email',
        sesMessageId: reply.id,
        messageId: reply.messageId,
        unverified,
      });
      if (reply.messageId) await recordThreadMessages(pool, input.incidentNumber, [reply.messageId], 'inbound');
      // People the customer copied in join the conversation (the thread's mail goes to them too);
      // addresses are normalised as for the first email, never our own; by the sender policy, only users.
      const copied = participantsFrom({ from: null, to: [], cc: reply.cc.map((address) => ({ address })) }, { ticketAddress: config.ticketAddress });
      const cc = await participantsByPolicy(directory, copied, null, reply.ccParticipants ?? 'authenticated');
      await addParticipants(pool, input.incidentNumber, cc, 'cc on a reply');
      // Other helpdesks' numbers the reply carried: later mail with one of them joins this incident.
      // One another incident recorded first stays with it; an unverified reply records none.
      if (!unverified) await recordExternalNumbers(pool, input.incidentNumber, (reply.externalNumbers ?? []).filter(isExternalNumber), reply.id);
      // A new reply reopens a closed incident; a repeated delivery of an old one does not.
      const moved = added && !unverified ? await changeIncidentState(pool, input.incidentNumber, { by: 'customer-reply' }) : null;
      // The customer's reply resumes a paused clock and restarts a reopened one; a stranger's moves nothing.
      if (!unverified) await tellSlaState(deps, input.incidentNumber, `reply-${reply.id}`, moved !== null);
      return entry('email', unverified ? `${author} (unverified)` : author, body);
    },

    async addAgentComment(input: { incidentNumber: string; comment: AgentComment }): Promise<ThreadEntry> {
      const { comment } = input;
      await addComment(pool, { incidentNumber: input.incidentNumber, author: comment.author, body: comment.body, source: 'agent', commentKey: comment.id });
      return entry('agent', comment.author, comment.body);
    },

    /** An alert for the incident's host/service: its text becomes a comment; a recovery resolves the incident. */
    async appendAlert(input: { incidentNumber: string; alert: AlertUpdate }): Promise<ThreadEntry> {
      const { alert } = input;
      const email = await readParsedEmail(aws, alert.bucket, alert.parsedKey);
      const marks = [alert.state, alert.flapping ? 'flapping: the incident stays open until the service is steady' : null].filter(Boolean);
      const body = `${alert.recovery ? 'Recovery' : 'Alert'}${marks.length ? ` (${marks.join(', ')})` : ''}: ${email.subject}\n\n${email.description}`;
      const added = await addComment(pool, { incidentNumber: input.incidentNumber, author: alert.from, body, source: 'email', sesMessageId: alert.id });
      // A recovery resolves the incident; a new problem reopens it (a repeated delivery does not).
      const moved = alert.recovery || added ? await changeIncidentState(pool, input.incidentNumber, { by: 'alert', recovery: alert.recovery }) : null;
      await tellSlaState(deps, input.incidentNumber, `alert-${alert.id}`, moved !== null);
      return entry('email', alert.from, body);
    },

    async addThreadNote(input: { incidentNumber: string; note: ThreadNote }): Promise<ThreadEntry> {
      const { note } = input;
      // A bounce of our mail with a delivery report: what it says of the recipient our message went to is
      // recorded on that message (db recordDeliveryReport), and the note says so.
      const tied = note.delivery ? await recordDeliveryReport(pool, { incidentNumber: input.incidentNumber, ...note.delivery, reportedBy: note.id }) : [];
      const reported = tied.map((t) => `; our ${t.kind} to ${t.recipient}: ${deliveryStatus(true, [{ type: 'bounce', bounceType: t.bounceType }])} (${t.detail})`).join('');
      const body = `${note.kind} from ${note.from ?? 'unknown sender'}: ${note.subject} (${note.reason})${reported}`;
      await addComment(pool, { incidentNumber: input.incidentNumber, author: 'system', body, source: 'note', sesMessageId: note.id });
      await recordExternalNumbers(pool, input.incidentNumber, (note.externalNumbers ?? []).filter(isExternalNumber), note.id);
      return entry('note', 'system', body);
    },

    /** "Send to Customer": the comment goes to the reporter, the participants in copy. */
    async sendAgentComment(input: {
      incidentNumber: string;
      commentKey: string;
      body: string;
      inReplyTo: string | null;
      references: string[];
      /** The agent waits for the customer's answer (the SLA clock pauses once the comment is sent). */
      awaitingCustomer?: boolean;
    }): Promise<OutboundResult> {
      const incident = await getIncident(pool, input.incidentNumber);
      const people = await threadPeople(pool, input.incidentNumber);
      if (!incident || !people) throw new Error(`No incident ${input.incidentNumber}`);
      const recipients = agentCommentRecipients(people, config.ticketAddress);
      if ('none' in recipients) {
        await markCommentNotSent(pool, input.commentKey, recipients.none);
        return { sent: false, reason: recipients.none };
      }
      const { to, cc } = recipients;
      const result = await sendOutboundEmail(deps, {
        dedupeKey: `agent-comment:${input.commentKey}`,
        kind: 'agent-comment',
        incidentNumber: input.incidentNumber,
        to: [to],
        cc,
        subject: `[${input.incidentNumber}] ${incident.shortDescription}`,
        text: `${input.body}\n\n${watermarkFor(input.incidentNumber)}\nReply to this email to add to incident ${input.incidentNumber}.`,
        inReplyTo: input.inReplyTo,
        references: input.references,
        autoResponse: false,
      });
      if (result.sent) {
        await markCommentSent(pool, input.commentKey, result.messageId);
        // Reaching the customer is the first response; an agent waiting on the answer pauses the clock.
        await tellSlaResponded(deps, input.incidentNumber, input.commentKey);
        if (input.awaitingCustomer) {
          const moved = await changeIncidentState(pool, input.incidentNumber, { by: 'agent', state: 'awaiting-customer' });
          await tellSlaState(deps, input.incidentNumber, `awaiting-${input.commentKey}`, moved !== null);
        }
      } else await markCommentNotSent(pool, input.commentKey, result.reason);
      return result;
    },

    /** Records why SES refused an agent's comment (the thread goes on). */
    async recordCommentNotSent(input: { commentKey: string; reason: string }): Promise<void> {
      await markCommentNotSent(pool, input.commentKey, input.reason);
    },

    /** Where a new run of the thread starts when nothing was carried over: closed or not, the Message-ID chain. */
    async loadThreadStart(input: { incidentNumber: string }): Promise<{ closed: boolean; references: string[] }> {
      return threadStart(pool, input.incidentNumber);
    },

    async setThreadState(input: { incidentNumber: string; state: IncidentState }): Promise<void> {
      const moved = await changeIncidentState(pool, input.incidentNumber, { by: 'agent', state: input.state });
      await tellSlaState(deps, input.incidentNumber, `set-${input.state}`, moved !== null);
    },
  };
}
