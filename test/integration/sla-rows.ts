// Incidents and SLA clock rows written straight to PostgreSQL, for the tests of what agents and customers
// see: no email, so no workflow writes beside the test (the SLA clock workflow, once it exists, included).
import { Pool } from 'pg';
import { insertIncident } from '../../src/db/incidents';
import { saveSlaClock } from '../../src/db/sla';
import { parseSlaTargets } from '../../src/domain/sla';
import { applySlaChange, fireSlaDeadlines, SlaClock, SlaEvent, SlaStep, slaView, startSlaClock } from '../../src/domain/sla-clock';
import { defaultSlaPolicy, slaPlanFor } from '../../src/domain/sla-policy';
import { trackingTokenDigest, trackingTokenFor } from '../../src/encryption/keyed-hash';
import { Deployment } from '../../src/operations/deployment';
import { newId } from './helpers';

/** A P3 incident from a customer of its own; the token opens its tracking page. */
export async function insertBareIncident(ctx: Deployment, shortDescription = 'Printer broken'): Promise<{ number: string; token: string }> {
  const id = newId('bare');
  const token = trackingTokenFor(ctx.config.customerData.hashKey, id);
  const made = await insertIncident(ctx.pool, {
    sesMessageId: id,
    shortDescription,
    description: 'It jams.',
    priority: 3,
    assignmentGroup: null,
    escalationAddress: null,
    category: null,
    routingRuleId: null,
    sender: { address: `${id}@customer.example`, name: 'Anna' },
    reporter: null,
    messageId: null,
    slaDueAt: new Date(Date.now() + 24 * 3_600_000).toISOString(),
    attachments: [],
    trackingTokenDigest: trackingTokenDigest(token),
  });
  return { number: made.number, token };
}

// P3 in wall time with the default targets: first response 4 h, resolution 24 h.
const plan = slaPlanFor(defaultSlaPolicy(parseSlaTargets('1=4h,2=8h,3=24h,4=72h,5=168h'), null), 'test', 3, null);

export const HOUR = 3_600_000;
export const deadlinesAt = (at: number) => (clock: SlaClock) => fireSlaDeadlines(clock, at);
export const stateAt = (state: string, at: number) => (clock: SlaClock) => applySlaChange(clock, { type: 'state', state, at });

/** A clock started at `startedAt`, moved by the changes, saved with all its events (as the clock workflow will). */
export async function recordSlaClock(pool: Pool, incidentNumber: string, startedAt: number, changes: ((clock: SlaClock) => SlaStep)[], extra: SlaEvent[] = []): Promise<void> {
  let { clock, events } = startSlaClock(plan, startedAt, 'new');
  for (const change of changes) {
    const next = change(clock);
    clock = next.clock;
    events = [...events, ...next.events];
  }
  await saveSlaClock(pool, incidentNumber, clock, slaView(clock, clock.lastAt), [...events, ...extra]);
}
