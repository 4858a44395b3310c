// The SLA clock's side effects: its plan from this worker's policy, its record in PostgreSQL, the
// escalation email on a warning or a breach, telling a clock what happened, and the re-plan's pages.
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { loadSlaClock as savedSlaClock, openIncidentNumbers, saveSlaClock, slaSubject } from '../db/sla';
import { SlaClock, SlaEvent, slaView } from '../domain/sla-clock';
import { SlaPlan, slaPlanFor } from '../domain/sla-policy';
import { formatSlaDueAt, parsePriority, priorityLabel } from '../domain/sla';
import { oneLine, truncate } from '../domain/short-description';
import { incidentSlaWorkflowId } from '../domain/workflow-ids';
import { incidentSla, SlaNotice, slaNoticeSignal } from '../workflows';
import { ActivityDeps } from './deps';
import { sendOutboundEmail } from './outbound-mail';

/** Starts the incident's clock if it does not run, and tells it: used by every activity that changes what it times. */
export async function tellSlaClock(client: Context['client'], taskQueue: string, incidentNumber: string, notice: SlaNotice): Promise<void> {
  await client.workflow.signalWithStart(incidentSla, {
    workflowId: incidentSlaWorkflowId(incidentNumber),
    taskQueue,
    args: [{ incidentNumber }],
    signal: slaNoticeSignal,
    signalArgs: [notice],
  });
}

/** The same, from inside an activity. */
export async function tellSlaClockFromActivity(incidentNumber: string, notice: SlaNotice): Promise<void> {
  const context = Context.current();
  await tellSlaClock(context.client, context.info.taskQueue, incidentNumber, notice);
}

/**
 * Tells the clock the incident's state as PostgreSQL has it now (a level, so a repeated notice changes
 * nothing), after `source` changed it. A first attempt that changed nothing tells nothing (each notice
 * costs a signal); a retry always tells, since an attempt that died after the change may not have.
 */
export async function tellSlaState(deps: ActivityDeps, incidentNumber: string, source: string, changed: boolean): Promise<void> {
  if (deps.withoutSlaClocks || (!changed && Context.current().info.attempt <= 1)) return;
  const subject = await slaSubject(deps.pool, incidentNumber);
  if (!subject) return;
  await tellSlaClockFromActivity(incidentNumber, { id: `state-${source}`.slice(0, 200), kind: 'state', state: subject.state, at: Date.now() });
}

/** An agent's comment reached the customer: the first response is met. */
export async function tellSlaResponded(deps: ActivityDeps, incidentNumber: string, commentKey: string): Promise<void> {
  if (deps.withoutSlaClocks) return;
  await tellSlaClockFromActivity(incidentNumber, { id: `responded-${commentKey}`.slice(0, 200), kind: 'responded', at: Date.now() });
}

export interface SlaStart {
  /** The clock saved when it last stopped (a reopened incident), or null for a new one. */
  saved: SlaClock | null;
  plan: SlaPlan;
  createdAt: number;
  state: string;
}

const TARGET_WORDS = { firstResponse: 'first response', resolution: 'resolution' } as const;

export function createSlaClockActivities(deps: ActivityDeps) {
  const { pool, config } = deps;

  async function planOf(incidentNumber: string) {
    const subject = await slaSubject(pool, incidentNumber);
    if (!subject) throw ApplicationFailure.nonRetryable(`No incident ${incidentNumber}`, 'NoIncident');
    const priority = parsePriority(subject.priority) ?? config.defaultPriority;
    return { subject, plan: slaPlanFor(config.sla.policy, config.sla.fingerprint, priority, subject.assignmentGroup) };
  }

  return {
    async loadSlaStart(input: { incidentNumber: string }): Promise<SlaStart> {
      const { subject, plan } = await planOf(input.incidentNumber);
      return { saved: await savedSlaClock(pool, input.incidentNumber), plan, createdAt: Date.parse(subject.createdAt), state: subject.state };
    },

    /**
     * The plan on the policy with this fingerprint. A worker still running another policy (a rolling
     * restart) fails the attempt, and the retry finds a worker that runs it.
     */
    async slaPlan(input: { incidentNumber: string; fingerprint: string }): Promise<SlaPlan> {
      if (input.fingerprint !== config.sla.fingerprint) {
        throw ApplicationFailure.retryable(`This worker runs SLA policy ${config.sla.fingerprint.slice(0, 12)}, the re-plan is for ${input.fingerprint.slice(0, 12)}`, 'OtherSlaPolicy');
      }
      return (await planOf(input.incidentNumber)).plan;
    },

    /** Saves the clock and its events; a warning or a breach is logged and emailed to the escalation address. */
    async recordSlaEvents(input: { incidentNumber: string; clock: SlaClock; events: SlaEvent[]; now: number }): Promise<{ escalated: number }> {
      const { incidentNumber, clock, events } = input;
      await saveSlaClock(pool, incidentNumber, clock, slaView(clock, input.now), events);
      const escalations = events.filter((e) => e.event === 'warning' || e.event === 'breach');
      // Most changes (started, met, paused) escalate nothing: the incident is read only for those that do.
      const subject = escalations.length ? await slaSubject(pool, incidentNumber) : null;
      let escalated = 0;
      for (const e of escalations) {
        log.warn(`SLA ${e.event}`, { incidentNumber, target: e.target, dueAt: e.dueAt === null ? null : new Date(e.dueAt).toISOString(), escalationAddress: subject?.escalationAddress ?? null });
        if (!subject?.escalationAddress || !e.target) continue;
        const due = e.dueAt === null ? 'now' : formatSlaDueAt(new Date(e.dueAt).toISOString(), clock.plan.calendar.timeZone);
        const what = `${TARGET_WORDS[e.target]} ${e.event === 'breach' ? 'breached' : 'due soon'}`;
        const priority = parsePriority(subject.priority);
        const result = await sendOutboundEmail(deps, {
          dedupeKey: `sla:${incidentNumber}:${e.target}:${e.event}:${e.at}`,
          kind: 'sla-escalation',
          incidentNumber,
          to: [subject.escalationAddress],
          cc: [],
          subject: truncate(oneLine(`[${incidentNumber}] SLA ${what}: ${subject.shortDescription}`), 250),
          text: [
            `Incident ${incidentNumber}: ${subject.shortDescription}`,
            `Priority: ${priority ? priorityLabel(priority) : subject.priority}; assignment group: ${subject.assignmentGroup ?? 'none'}`,
            `The ${TARGET_WORDS[e.target]} target (${clock[e.target].targetMs / 60_000} minutes of ${clock.plan.time} time) ${e.event === 'breach' ? 'was breached' : `is ${clock.plan.warningPercent}% used`}; due ${due}.`,
            `Incident state: ${subject.state}.`,
          ].join('\n'),
          autoResponse: false,
        });
        if (result.sent) escalated++;
        else log.warn('SLA escalation not sent', { incidentNumber, reason: result.reason });
      }
      return { escalated };
    },

    /** One page of the re-plan: every open incident after `after` is told the policy; returns the last one. */
    async replanSlaPage(input: { fingerprint: string; after: string; pageSize: number }): Promise<{ count: number; last: string | null }> {
      const numbers = await openIncidentNumbers(pool, input.after, input.pageSize);
      const at = Date.now();
      for (const incidentNumber of numbers) {
        await tellSlaClockFromActivity(incidentNumber, { id: `replan-${input.fingerprint.slice(0, 32)}`, kind: 'replan', at, fingerprint: input.fingerprint });
        Context.current().heartbeat(incidentNumber);
      }
      return { count: numbers.length, last: numbers.length ? numbers[numbers.length - 1] : null };
    },
  };
}
