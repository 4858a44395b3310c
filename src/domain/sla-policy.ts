// SLA policy: the targets an admin sets (first response and resolution per priority, optionally per
// assignment group, in business or wall time), the share of a target at which it warns, and what
// reopening does to the resolution clock. Pure: the clock of each incident runs on the plan taken from it.
import { ALWAYS_OPEN, BusinessCalendar } from './business-calendar';
import { isJsonObject } from './json-object';
import { parseSlaTargets } from './sla';
import type { Priority } from './types';

export type SlaTargetName = 'firstResponse' | 'resolution';
export const SLA_TARGET_NAMES: readonly SlaTargetName[] = ['firstResponse', 'resolution'];

export type SlaTime = 'business' | 'wall';
export type SlaReopen = 'restart' | 'resume';

export interface SlaTargetTable {
  /** Minutes per priority. */
  firstResponse: Record<Priority, number>;
  resolution: Record<Priority, number>;
  time: SlaTime;
}

export interface SlaPolicy {
  targets: SlaTargetTable;
  /** Per assignment group, by its name lower-cased; a group not named uses `targets`. */
  groups: Record<string, SlaTargetTable>;
  /** A target warns when this percentage of it has passed. */
  warningPercent: number;
  /** Reopening restarts the resolution target from zero, or resumes it with the time already used. */
  onReopen: SlaReopen;
  calendar: BusinessCalendar | null;
}

/** What one incident's clock runs on: small and bounded (it travels in the clock's history). */
export interface SlaPlan {
  firstResponseMinutes: number;
  resolutionMinutes: number;
  warningPercent: number;
  onReopen: SlaReopen;
  /** Business time on the calendar; wall time is ALWAYS_OPEN. */
  calendar: BusinessCalendar;
  time: SlaTime;
  /** The policy it was taken from (a change of policy re-plans every open clock). */
  fingerprint: string;
}

/** Answering first: critical in 30 minutes, planning within a day. */
export const DEFAULT_FIRST_RESPONSE_TARGETS = '1=30m,2=1h,3=4h,4=8h,5=24h';
export const DEFAULT_WARNING_PERCENT = 80;
/** Group names come from routing rules; a policy naming more is a mistake, and it travels in every plan. */
export const SLA_GROUP_LIMIT = 200;
const GROUP_NAME_LIMIT = 200;

const groupKey = (name: string) => name.trim().toLowerCase();

/** The policy without a policy file: SLA_TARGETS for resolution, the default first-response targets. */
export function defaultSlaPolicy(resolution: Record<Priority, number>, calendar: BusinessCalendar | null): SlaPolicy {
  return {
    targets: { firstResponse: parseSlaTargets(DEFAULT_FIRST_RESPONSE_TARGETS), resolution, time: calendar ? 'business' : 'wall' },
    groups: {},
    warningPercent: DEFAULT_WARNING_PERCENT,
    onReopen: 'restart',
    calendar,
  };
}

function time(value: unknown, where: string, fallback: SlaTime, calendar: BusinessCalendar | null): SlaTime {
  if (value === undefined) return fallback;
  if (value !== 'business' && value !== 'wall') throw new Error(`${where}time must be "business" or "wall"`);
  if (value === 'business' && !calendar) throw new Error(`${where}time "business" needs a business calendar (SLA_CALENDAR_FILE)`);
  return value;
}

function targets(value: unknown, where: string, name: SlaTargetName): Record<Priority, number> | undefined {
  if (value === undefined) return undefined;
  try {
    return parseSlaTargets(value as string);
  } catch (err) {
    throw new Error(`${where}${name}: ${(err as Error).message}`);
  }
}

function table(spec: Record<string, unknown>, where: string, base: SlaTargetTable, calendar: BusinessCalendar | null, fields: string[]): SlaTargetTable {
  const unknown = Object.keys(spec).filter((k) => !fields.includes(k));
  if (unknown.length) throw new Error(`${where}unknown field ${unknown.join(', ')} (${fields.join(', ')})`);
  return {
    firstResponse: targets(spec.firstResponse, where, 'firstResponse') ?? base.firstResponse,
    resolution: targets(spec.resolution, where, 'resolution') ?? base.resolution,
    time: time(spec.time, where, base.time, calendar),
  };
}

const TABLE_FIELDS = ['firstResponse', 'resolution', 'time'];

/**
 * The policy file an admin edits:
 * { "firstResponse": "1=30m,...", "resolution": "1=4h,...", "time": "business", "warningAt": 80,
 *   "onReopen": "restart", "groups": { "Network": { "resolution": "1=2h,..." } } }.
 * Every field is optional; a group inherits what it does not name. Throws an Error saying what is wrong.
 */
export function parseSlaPolicy(spec: unknown, defaults: SlaPolicy): SlaPolicy {
  if (!isJsonObject(spec)) throw new Error('an SLA policy is a JSON object (firstResponse, resolution, time, warningAt, onReopen, groups)');
  const base = table(
    Object.fromEntries(Object.entries(spec).filter(([k]) => TABLE_FIELDS.includes(k))),
    '',
    defaults.targets,
    defaults.calendar,
    TABLE_FIELDS,
  );
  const unknown = Object.keys(spec).filter((k) => ![...TABLE_FIELDS, 'warningAt', 'onReopen', 'groups'].includes(k));
  if (unknown.length) throw new Error(`unknown field ${unknown.join(', ')} (${[...TABLE_FIELDS, 'warningAt', 'onReopen', 'groups'].join(', ')})`);
  const warningAt = spec.warningAt ?? defaults.warningPercent;
  if (typeof warningAt !== 'number' || !Number.isInteger(warningAt) || warningAt < 1 || warningAt > 99) {
    throw new Error(`warningAt ${JSON.stringify(warningAt)} must be a whole percentage from 1 to 99`);
  }
  const onReopen = spec.onReopen ?? defaults.onReopen;
  if (onReopen !== 'restart' && onReopen !== 'resume') throw new Error('onReopen must be "restart" or "resume"');
  const groupSpecs = spec.groups ?? {};
  if (!isJsonObject(groupSpecs)) throw new Error('groups is an object of assignment group names, e.g. { "Network": { "resolution": "1=2h,2=4h,3=8h,4=24h,5=72h" } }');
  const names = Object.keys(groupSpecs);
  if (names.length > SLA_GROUP_LIMIT) throw new Error(`groups names ${names.length} groups; at most ${SLA_GROUP_LIMIT}`);
  const groups: Record<string, SlaTargetTable> = {};
  for (const name of names) {
    const where = `groups.${JSON.stringify(name).slice(0, 80)}: `;
    const key = groupKey(name);
    if (!key || name.length > GROUP_NAME_LIMIT) throw new Error(`${where}a group name has 1 to ${GROUP_NAME_LIMIT} characters`);
    if (groups[key]) throw new Error(`${where}the group is named twice`);
    const groupSpec = groupSpecs[name];
    if (!isJsonObject(groupSpec)) throw new Error(`${where}a group is an object with firstResponse, resolution or time`);
    groups[key] = table(groupSpec, where, base, defaults.calendar, TABLE_FIELDS);
  }
  return { targets: base, groups, warningPercent: warningAt, onReopen, calendar: defaults.calendar };
}

/** The targets that apply to an incident: its group's, or the default ones. */
export function slaTableFor(policy: SlaPolicy, group: string | null): SlaTargetTable {
  return (group && policy.groups[groupKey(group)]) || policy.targets;
}

/** The plan of one incident's clock. */
export function slaPlanFor(policy: SlaPolicy, fingerprint: string, priority: Priority, group: string | null): SlaPlan {
  const t = slaTableFor(policy, group);
  return {
    firstResponseMinutes: t.firstResponse[priority],
    resolutionMinutes: t.resolution[priority],
    warningPercent: policy.warningPercent,
    onReopen: policy.onReopen,
    calendar: t.time === 'business' && policy.calendar ? policy.calendar : ALWAYS_OPEN,
    time: t.time,
    fingerprint,
  };
}

/** The calendar a plan counts working time on; null when it counts wall time. */
export const businessCalendarOf = (plan: SlaPlan): BusinessCalendar | null => (plan.time === 'business' ? plan.calendar : null);

/** The same policy always gives the same text (keys sorted): its hash names the policy. */
export function canonicalSlaPolicy(policy: SlaPolicy): string {
  const sort = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(sort) : isJsonObject(value) ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, sort(value[k])])) : value;
  return JSON.stringify(sort(policy));
}
