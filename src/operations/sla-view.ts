// What the agent sees of an incident's SLA clock (CLI `incident show`, admin page, API): each target's
// standing, the pause, breaches and the events. Read from what the clock recorded; nothing is computed
// again here, so every surface shows the clock's own word.
import { Pool } from 'pg';
import { incidentSla, IncidentSlaView, SlaSummary } from '../db/sla';
import { SLA_TARGET_NAMES, SlaTargetName } from '../domain/sla-policy';

/** The incident with its clock (null: none recorded yet): what `incident show --json` and the API answer. */
export async function withIncidentSla<T extends { number: string }>(pool: Pool, incident: T): Promise<T & { sla: IncidentSlaView | null }> {
  return { ...incident, sla: await incidentSla(pool, incident.number) };
}

export interface SlaTargetStatus {
  state: 'running' | 'paused' | 'met' | 'stopped';
  /** When it falls due (running), since when it is paused, or when it was met or stopped (null: not recorded). */
  at: string | null;
  breached: boolean;
}

export const SLA_TARGET_LABELS: Record<SlaTargetName, string> = { firstResponse: 'First response', resolution: 'Resolution' };

const ENDS = ['met', 'stopped'];
const STARTS = ['started', 'reopened'];

/** A target's standing: a due time means it runs; otherwise its newest start or end event says whether it paused or ended. */
export function slaTargetStatus(sla: IncidentSlaView, name: SlaTargetName): SlaTargetStatus {
  const breached = name === 'firstResponse' ? sla.firstResponseBreached : sla.resolutionBreached;
  const dueAt = name === 'firstResponse' ? sla.firstResponseDueAt : sla.resolutionDueAt;
  if (dueAt) return { state: 'running', at: dueAt, breached };
  const last = [...sla.events].reverse().find((e) => e.target === name && (ENDS.includes(e.event) || STARTS.includes(e.event)));
  if (last && ENDS.includes(last.event)) return { state: last.event as 'met' | 'stopped', at: last.at, breached };
  if (sla.pausedSince) return { state: 'paused', at: sla.pausedSince, breached };
  // Its end fell out of the events shown: it ended, when is not known here.
  return { state: 'stopped', at: null, breached };
}

/** One line per target: "due X", "paused", "met at X", "stopped at X", with "(breached)" when it breached. */
export function describeSlaTarget(s: SlaTargetStatus): string {
  const what = s.state === 'running' ? `due ${s.at}` : s.state === 'paused' || s.at === null ? s.state : `${s.state} at ${s.at}`;
  return `${what}${s.breached ? ' (breached)' : ''}`;
}

/** The "SLA" block of `incident show`: with no clock recorded, the due time the incident was created with. */
export function slaLines(sla: IncidentSlaView | null, slaDueAt: string): string[] {
  if (!sla) return [`SLA: resolution due ${slaDueAt} (no SLA clock recorded)`];
  const lines = ['SLA:'];
  for (const name of SLA_TARGET_NAMES) lines.push(`  ${`${SLA_TARGET_LABELS[name]}:`.padEnd(16)}${describeSlaTarget(slaTargetStatus(sla, name))}`);
  if (sla.pausedSince) lines.push(`  Paused (waiting for the customer) since ${sla.pausedSince}`);
  if (sla.events.length) lines.push('  Events:');
  for (const e of sla.events) lines.push(`    ${e.at}  ${(e.target ?? '-').padEnd(13)}  ${e.event.padEnd(9)}  ${e.detail}${e.dueAt ? ` (due ${e.dueAt})` : ''}`);
  return lines;
}

/** The list's "Due" column: the clock's resolution due time, its pause, or (no clock yet) the incident's own. */
export function dueColumn(summary: SlaSummary | undefined, slaDueAt: string): { text: string; breached: boolean } {
  if (!summary) return { text: slaDueAt, breached: false };
  const text = summary.resolutionDueAt ?? (summary.pausedSince ? `paused since ${summary.pausedSince}` : '-');
  return { text, breached: summary.breached };
}
