// Raise the incident: subject -> short description, body -> description, sender -> reporter. Idempotent.
// It returns what it made; the email's stage is the workflow's to record.
import { tellSlaState } from './sla-clock';
import { log } from '@temporalio/activity';
import { findOpenAlertIncident, insertIncident } from '../db/incidents';
import { addComment, addParticipants, recordThreadMessages } from '../db/threads';
import { linkToParent, stormChildren } from '../db/alert-storms';
import { participantsFrom } from '../domain/participants';
import { normaliseMessageId } from '../domain/reply-detection';
import { slaDueAtOn } from '../domain/sla';
import type { Priority } from '../domain/types';
import { businessCalendarOf, slaPlanFor } from '../domain/sla-policy';
import { CreatedIncident, CreateIncidentInput } from '../domain/inbound-steps';
import { trackingTokenDigest, trackingTokenFor } from '../encryption/keyed-hash';
import { ActivityDeps } from './deps';
import { readParsedEmail } from './inbound-email-store';
import { participantsByPolicy } from './copied-participants';
import { directoryOf } from './user-directory';

export function createIncidentActivities(deps: ActivityDeps) {
  const { pool, aws, config } = deps;
  const directory = directoryOf(deps);
  /** The due time of the resolution target of an incident made now (its clock moves it later on). */
  const resolutionDueAt = (priority: Priority, group: string | null) => {
    const plan = slaPlanFor(config.sla.policy, config.sla.fingerprint, priority, group);
    return slaDueAtOn(businessCalendarOf(plan), new Date().toISOString(), plan.resolutionMinutes);
  };
  return {
    /** The open incident of a monitoring alert's host/service, if any. */
    async findAlertIncident(input: { alertKey: string }): Promise<string | null> {
      return (await findOpenAlertIncident(pool, input.alertKey))?.number ?? null;
    },

    async raiseIncident(input: CreateIncidentInput): Promise<CreatedIncident> {
      const { routing } = input;
      const email = await readParsedEmail(aws, input.bucket, input.parsedKey);
      // An agent's forward: the incident is made of the forwarded email, the customer's (domain/agent-forward).
      const forward = input.forwardedBy && email.forward?.from ? { ...email.forward, from: email.forward.from, by: input.forwardedBy } : null;
      const incident = await insertIncident(pool, {
        sesMessageId: input.sesMessageId,
        shortDescription: forward?.shortDescription ?? email.shortDescription,
        description: forward?.description ?? email.description,
        priority: routing.priority,
        assignmentGroup: routing.assignmentGroup,
        category: routing.category,
        routingRuleId: routing.ruleId,
        // A routing recorded before escalationAddress existed (a workflow older than it) has none.
        escalationAddress: routing.escalationAddress ?? null,
        sender: forward?.from ?? email.from ?? { address: '', name: '' },
        reporter: input.reporter,
        messageId: email.messageId,
        slaDueAt: resolutionDueAt(routing.priority, routing.assignmentGroup),
        attachments: email.attachments,
        alertKey: input.alertKey ?? null,
        senderAuthenticated: input.senderAuthenticated ?? true,
        followUpOf: input.followUpOf ?? null,
        trackingTokenDigest: trackingTokenDigest(trackingTokenFor(config.customerData.hashKey, input.sesMessageId)),
        forwardedBy: forward?.by ?? null,
      });
      // The thread starts here: replies naming this Message-ID (or the forwarded one's) join it, and those in To/Cc may speak on it.
      const messageIds = [email.messageId, forward?.messageId].map((id) => (id ? normaliseMessageId(id) : null)).filter((id): id is string => id !== null);
      if (messageIds.length > 0) await recordThreadMessages(pool, incident.number, messageIds, 'inbound');
      // The agent's own words above the forward: the incident's first comment, for agents (never on the tracking page).
      if (forward?.note.trim()) {
        await addComment(pool, { incidentNumber: incident.number, author: forward.by, body: forward.note.trim(), source: 'agent', commentKey: `forward-note:${input.sesMessageId}` });
      }
      // A forger must not put a mailbox of theirs on copy of every agent reply.
      // Of those it copied in, the sender policy may take only users of the directory, or no one.
      if (input.senderAuthenticated !== false) {
        // Of an agent's forward, the customer takes the agent's place: the agent is no participant of it.
        const first = forward ? { ...email, from: forward.from } : email;
        const people = participantsFrom(first, { ticketAddress: config.ticketAddress });
        const participants = await participantsByPolicy(directory, people, first.from?.address ?? null, input.ccParticipants ?? 'authenticated');
        await addParticipants(pool, incident.number, participants, 'to/cc of the first email');
      }
      log.info(incident.created ? 'incident created' : 'incident already existed', { sesMessageId: input.sesMessageId, incidentNumber: incident.number });
      // The incident's SLA clock starts with it (a retry finds it running: the notice changes nothing).
      await tellSlaState(deps, incident.number, 'created', incident.created);
      return incident;
    },

    /**
     * The parent incident of an alert storm, with its first children linked; at the highest priority of
     * the children and in the first child's group. Named by its first child, so a retry makes no second.
     */
    async raiseStormIncident(input: { children: string[]; windowMinutes: number }): Promise<string> {
      const children = await stormChildren(pool, input.children);
      if (children.length === 0) throw new Error(`no incident of the alert storm found: ${input.children.join(', ')}`);
      const priority = Math.min(...children.map((c) => c.priority)) as Priority;
      const group = children[0].assignmentGroup;
      const sesMessageId = `alert-storm-${children[0].number}`;
      const incident = await insertIncident(pool, {
        sesMessageId,
        shortDescription: `Alert storm: ${children.length} monitoring alerts within ${input.windowMinutes} minute${input.windowMinutes === 1 ? '' : 's'}`,
        description: ['Monitoring alerts for many hosts/services opened incidents at once; they are linked to this one:', '', ...children.map((c) => `${c.number} ${c.shortDescription}`)].join('\n'),
        priority,
        assignmentGroup: group,
        category: null,
        routingRuleId: null,
        escalationAddress: null,
        sender: { address: '', name: 'alert storm' },
        reporter: null,
        messageId: null,
        slaDueAt: resolutionDueAt(priority, group),
        attachments: [],
        trackingTokenDigest: trackingTokenDigest(trackingTokenFor(config.customerData.hashKey, sesMessageId)),
      });
      await linkToParent(pool, incident.number, input.children);
      await tellSlaState(deps, incident.number, 'created', incident.created);
      log.info('alert storm', { incidentNumber: incident.number, children: children.length });
      return incident.number;
    },
  };
}
