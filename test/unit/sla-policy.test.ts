import { ALWAYS_OPEN, parseBusinessCalendar } from '../../src/domain/business-calendar';
import { canonicalSlaPolicy, defaultSlaPolicy, parseSlaPolicy, SLA_GROUP_LIMIT, slaPlanFor } from '../../src/domain/sla-policy';
import { parseSlaTargets } from '../../src/domain/sla';

const calendar = parseBusinessCalendar({ timeZone: 'Europe/Berlin', hours: { mon: '09:00-17:00' } });
const resolution = parseSlaTargets('1=4h,2=8h,3=24h,4=72h,5=168h');
const wallDefaults = defaultSlaPolicy(resolution, null);
const businessDefaults = defaultSlaPolicy(resolution, calendar);

test('without a policy file: SLA_TARGETS for resolution, default first response, wall time unless a calendar is set', () => {
  expect(wallDefaults).toMatchObject({ targets: { time: 'wall', resolution, firstResponse: { 1: 30, 5: 1440 } }, warningPercent: 80, onReopen: 'restart' });
  expect(businessDefaults.targets.time).toBe('business');
  const plan = slaPlanFor(businessDefaults, 'f'.repeat(64), 2, null);
  expect(plan).toMatchObject({ firstResponseMinutes: 60, resolutionMinutes: 480, time: 'business', calendar, fingerprint: 'f'.repeat(64) });
  expect(slaPlanFor(wallDefaults, 'x', 2, null).calendar).toBe(ALWAYS_OPEN);
});

test('a group inherits what it does not name, and is found in any case', () => {
  const policy = parseSlaPolicy(
    { firstResponse: '1=15m,2=30m,3=1h,4=2h,5=4h', warningAt: 75, onReopen: 'resume', groups: { Network: { resolution: '1=2h,2=4h,3=8h,4=16h,5=32h', time: 'wall' } } },
    businessDefaults,
  );
  expect(slaPlanFor(policy, 'x', 1, 'network')).toMatchObject({ firstResponseMinutes: 15, resolutionMinutes: 120, time: 'wall', calendar: ALWAYS_OPEN, warningPercent: 75, onReopen: 'resume' });
  expect(slaPlanFor(policy, 'x', 1, 'Service Desk')).toMatchObject({ firstResponseMinutes: 15, resolutionMinutes: 240, time: 'business', calendar });
  expect(slaPlanFor(policy, 'x', 1, null).resolutionMinutes).toBe(240);
});

test.each([
  [[], /JSON object/],
  [{ resolution: '1=4h' }, /resolution: .*miss priority 2, 3, 4, 5/],
  [{ firstResponse: '1=4x,2=1h,3=1h,4=1h,5=1h' }, /firstResponse: Invalid SLA target '1=4x'/],
  [{ time: 'sometimes' }, /time must be "business" or "wall"/],
  [{ warningAt: 100 }, /warningAt 100 must be a whole percentage from 1 to 99/],
  [{ warningAt: 80.5 }, /whole percentage/],
  [{ onReopen: 'never' }, /onReopen must be "restart" or "resume"/],
  [{ targets: {} }, /unknown field targets/],
  [{ groups: [] }, /groups is an object/],
  [{ groups: { Network: { escalation: 'x' } } }, /groups\."Network": unknown field escalation/],
  [{ groups: { Network: {}, NETWORK: {} } }, /named twice/],
  [{ groups: { '': {} } }, /1 to 200 characters/],
])('a wrong policy is refused with what is wrong: %j', (spec, message) => {
  expect(() => parseSlaPolicy(spec, businessDefaults)).toThrow(message);
});

test('business time without a calendar is refused; so are more groups than the limit', () => {
  expect(() => parseSlaPolicy({ time: 'business' }, wallDefaults)).toThrow(/needs a business calendar \(SLA_CALENDAR_FILE\)/);
  expect(() => parseSlaPolicy({ groups: { A: { time: 'business' } } }, wallDefaults)).toThrow(/groups\."A": time "business" needs/);
  const groups = Object.fromEntries(Array.from({ length: SLA_GROUP_LIMIT + 1 }, (_, i) => [`g${i}`, {}]));
  expect(() => parseSlaPolicy({ groups }, wallDefaults)).toThrow(/at most 200/);
});

test('the canonical text does not depend on the order of the keys, and differs when a target does', () => {
  const a = parseSlaPolicy({ warningAt: 70, onReopen: 'resume' }, wallDefaults);
  const b = parseSlaPolicy({ onReopen: 'resume', warningAt: 70 }, wallDefaults);
  expect(canonicalSlaPolicy(a)).toBe(canonicalSlaPolicy(b));
  expect(canonicalSlaPolicy(parseSlaPolicy({ warningAt: 71 }, wallDefaults))).not.toBe(canonicalSlaPolicy(a));
});
