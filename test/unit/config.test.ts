// Configuration is validated at start; a missing or malformed variable is named in the error.
import { sdkTuning } from '../../src/worker-tuning';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { VALID_ENVIRONMENT } from './valid-environment';

const KEY = VALID_ENVIRONMENT.CUSTOMER_HASH_KEY;
const valid = VALID_ENVIRONMENT;

test('a complete environment gives a typed configuration with defaults', () => {
  const config = loadConfig(valid);
  expect(config).toMatchObject({
    temporal: { address: 'localhost:7233', namespace: 'default', taskQueue: 'email-to-ticket' },
    aws: { region: 'us-east-1', endpoint: undefined },
    ticketAddress: 'tickets@example.com',
    trackingBaseUrl: 'https://help.example.com/track',
    routingRuleTable: 'StackFlow_EmailRoutingRule',
    confirmationTemplate: 'email_to_ticket_confirmation',
    spamThreshold: 5,
    defaultPriority: 4,
    inbound: { prefix: 'inbound/' },
  });
  expect(config.slaTargets[1]).toBe(240);
});

test.each(Object.keys(valid))('missing %s is named in the error', (name) => {
  const env: Record<string, string | undefined> = { ...valid, [name]: undefined };
  expect(() => loadConfig(env)).toThrow(new RegExp(`Missing configuration ${name}:`));
});

test.each([
  ['SPAM_THRESHOLD', 'lots', /Malformed configuration SPAM_THRESHOLD="lots"/],
  ['BRIDGE_WAIT_TIME_SECONDS', '30', /BRIDGE_WAIT_TIME_SECONDS="30": expected a whole number 1\.\.20/],
  ['DATABASE_URL', 'not a url', /Malformed configuration DATABASE_URL/],
  ['TICKET_ADDRESS', 'tickets', /Malformed configuration TICKET_ADDRESS="tickets"/],
  ['DEFAULT_PRIORITY', '9', /Malformed configuration DEFAULT_PRIORITY/],
  ['SLA_TARGETS', '1=4h', /Malformed configuration SLA_TARGETS/],
])('malformed %s is named in the error', (name, value, message) => {
  expect(() => loadConfig({ ...valid, [name]: value })).toThrow(message);
});

describe('the admin page', () => {
  const web = { ...valid, ADMIN_PASSWORD: 'a long enough password' };
  const token = 'T'.repeat(32);

  test('defaults: no proxy trusted, Secure cookie over HTTPS only, 300 API calls a minute', () => {
    expect(loadConfig({ ...web, ADMIN_API_TOKEN: token }).web).toMatchObject({ apiToken: token, trustProxy: false, secureCookie: 'auto', apiRateLimit: 300 });
  });

  test('an API token under 32 characters is refused, naming the variable and not echoing the token', () => {
    const attempt = () => loadConfig({ ...web, ADMIN_API_TOKEN: 'short-secret-token' });
    expect(attempt).toThrow(/Malformed configuration ADMIN_API_TOKEN: 18 characters, at least 32/);
    expect(attempt).not.toThrow(/short-secret-token/);
    expect(loadConfig(web).web?.apiToken).toBe('');
  });

  test.each([
    ['WEB_SECURE_COOKIE', 'sometimes', /Malformed configuration WEB_SECURE_COOKIE="sometimes": one of auto, always/],
    ['WEB_TRUST_PROXY', 'maybe', /Malformed configuration WEB_TRUST_PROXY="maybe": expected yes or no/],
    ['ADMIN_API_RATE_LIMIT', '0', /Malformed configuration ADMIN_API_RATE_LIMIT="0"/],
  ])('malformed %s is named in the error', (name, value, message) => {
    expect(() => loadConfig({ ...web, [name]: value })).toThrow(message);
  });

  test('WEB_SECURE_COOKIE=always and WEB_TRUST_PROXY=yes are read', () => {
    expect(loadConfig({ ...web, WEB_SECURE_COOKIE: 'always', WEB_TRUST_PROXY: 'yes' }).web).toMatchObject({ secureCookie: 'always', trustProxy: true });
  });
});

test('the sender is a keyed hash in search attributes unless configured otherwise', () => {
  expect(loadConfig(valid).searchSenderAs).toBe('hash');
  expect(loadConfig({ ...valid, SEARCH_SENDER_AS: 'domain' }).searchSenderAs).toBe('domain');
});

test.each([
  ['PAYLOAD_KEYS', 'k1:c2hvcnQ=', /Malformed configuration PAYLOAD_KEYS: key "k1" is 5 bytes, not 32/],
  ['CUSTOMER_HASH_KEY', 'c2hvcnQ=', /Malformed configuration CUSTOMER_HASH_KEY: it is 5 bytes, not 32/],
  ['TEMPORAL_UI_ORIGIN', 'http://ui.example.com/path', /Malformed configuration TEMPORAL_UI_ORIGIN="http:\/\/ui.example.com\/path": expected an origin/],
])('a malformed %s is named, never its value', (name, value, message) => {
  expect(() => loadConfig({ ...valid, ADMIN_PASSWORD: 'a-long-password', [name]: value })).toThrow(message);
});

test('keys may come from files instead (PAYLOAD_KEYS_FILE, CUSTOMER_HASH_KEY_FILE), but not from both', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keys-'));
  writeFileSync(join(dir, 'payload-keys'), `# newest first\nk2:${Buffer.alloc(32, 4).toString('base64')}\nk1:${KEY}\n`);
  writeFileSync(join(dir, 'hash-key'), `${KEY}\n`);
  const { PAYLOAD_KEYS: _p, CUSTOMER_HASH_KEY: _h, ...rest } = valid;
  const config = loadConfig({ ...rest, PAYLOAD_KEYS_FILE: join(dir, 'payload-keys'), CUSTOMER_HASH_KEY_FILE: join(dir, 'hash-key') });
  expect(config.customerData.payloadKeys.currentId).toBe('k2');
  expect(config.customerData.hashKey.toString('base64')).toBe(KEY);
  expect(() => loadConfig({ ...valid, PAYLOAD_KEYS_FILE: join(dir, 'payload-keys') })).toThrow(/set PAYLOAD_KEYS or PAYLOAD_KEYS_FILE, not both/);
  expect(() => loadConfig({ ...rest, CUSTOMER_HASH_KEY: KEY, PAYLOAD_KEYS_FILE: join(dir, 'missing') })).toThrow(/Malformed configuration PAYLOAD_KEYS_FILE=".*missing": cannot read it \(ENOENT\)/);
});

describe('tuning by configuration', () => {
  test('unset: the SDK decides (nothing passed), the pool holds 10 connections', () => {
    const config = loadConfig(valid);
    expect(sdkTuning(config.worker.tuning)).toEqual({});
    expect(config.databasePoolSize).toBe(10);
  });

  test('each variable reaches the worker option it names', () => {
    const config = loadConfig({
      ...valid,
      WORKER_WORKFLOW_TASK_SLOTS: '50',
      WORKER_LOCAL_ACTIVITY_SLOTS: '200',
      WORKER_WORKFLOW_CACHE_SIZE: '0',
      WORKER_WORKFLOW_TASK_POLLERS: '4',
      WORKER_ACTIVITY_TASK_POLLERS: '3',
      WORKER_MAX_ACTIVITIES_PER_SECOND: '0.5',
      TASK_QUEUE_MAX_ACTIVITIES_PER_SECOND: '40',
      DATABASE_POOL_SIZE: '25',
    });
    expect(sdkTuning(config.worker.tuning)).toEqual({
      maxConcurrentWorkflowTaskExecutions: 50,
      maxConcurrentLocalActivityExecutions: 200,
      maxCachedWorkflows: 0,
      maxConcurrentWorkflowTaskPolls: 4,
      maxConcurrentActivityTaskPolls: 3,
      maxActivitiesPerSecond: 0.5,
      maxTaskQueueActivitiesPerSecond: 40,
    });
    expect(config.databasePoolSize).toBe(25);
  });

  test.each([
    ['WORKER_WORKFLOW_TASK_POLLERS', '1'],
    ['WORKER_LOCAL_ACTIVITY_SLOTS', 'many'],
    ['DATABASE_POOL_SIZE', '0'],
    ['SES_MAX_SEND_RATE', '0'],
    ['SES_MAX_SEND_RATE', 'fast'],
    ['WORKER_MAX_ACTIVITIES_PER_SECOND', '-1'],
    ['QUEUE_MAX_RECEIVE_COUNT', '1001'],
    ['BRIDGE_TEMPORAL_DOWN_HOLD_SECONDS', '0'],
    ['RECONCILE_INTERVAL_MINUTES', '0'],
    ['RECONCILE_INTERVAL_MINUTES', 'hourly'],
    ['RECONCILE_WINDOW_HOURS', '721'],
    ['RECONCILE_GRACE_MINUTES', '-1'],
  ])('%s=%s is refused, naming the variable', (name, value) => {
    expect(() => loadConfig({ ...valid, [name]: value })).toThrow(new RegExp(`Malformed configuration ${name}="${value}"`));
  });
});

describe('long outages and the send rate', () => {
  test('defaults: a 15-minute hold, 10 receives before the dead-letter queue, no send rate of ours', () => {
    const config = loadConfig(valid);
    expect(config.bridge.temporalDownHoldSeconds).toBe(900);
    expect(config.queueMaxReceiveCount).toBe(10);
    expect(config.sesMaxSendRate).toBeUndefined();
  });

  test('set: a fraction of the account rate per worker, a short hold for tests', () => {
    const config = loadConfig({ ...valid, SES_MAX_SEND_RATE: '3.5', BRIDGE_TEMPORAL_DOWN_HOLD_SECONDS: '2', QUEUE_MAX_RECEIVE_COUNT: '3' });
    expect(config).toMatchObject({ sesMaxSendRate: 3.5, queueMaxReceiveCount: 3, bridge: { temporalDownHoldSeconds: 2 } });
  });

  test("hold and visibility timeout together stay within SQS's 12 hours", () => {
    expect(loadConfig({ ...valid, BRIDGE_TEMPORAL_DOWN_HOLD_SECONDS: '43140' }).bridge.temporalDownHoldSeconds).toBe(43140);
    expect(() => loadConfig({ ...valid, BRIDGE_TEMPORAL_DOWN_HOLD_SECONDS: '43200' })).toThrow(
      /Malformed configuration BRIDGE_TEMPORAL_DOWN_HOLD_SECONDS="43200": with BRIDGE_VISIBILITY_TIMEOUT_SECONDS=60 over SQS's 43200 seconds/,
    );
  });
});

describe('the user directory', () => {
  test('PostgreSQL unless told otherwise', () => {
    expect(loadConfig(valid).userDirectory).toEqual({ kind: 'postgres' });
  });
  test('cognito: the pool, the agent group (default agents) and the cache time', () => {
    expect(loadConfig({ ...valid, USER_DIRECTORY: 'cognito', COGNITO_USER_POOL_ID: 'eu-west-1_AbC123xyz' }).userDirectory).toEqual({
      kind: 'cognito',
      userPoolId: 'eu-west-1_AbC123xyz',
      agentGroup: 'agents',
      cacheMs: 60_000,
    });
    expect(loadConfig({ ...valid, USER_DIRECTORY: 'cognito', COGNITO_USER_POOL_ID: 'us-east-1_x1', COGNITO_AGENT_GROUP: 'Support-Agents', COGNITO_CACHE_SECONDS: '0' }).userDirectory)
      .toMatchObject({ agentGroup: 'Support-Agents', cacheMs: 0 });
  });
  test('cognito without a pool, or with a malformed one, is named', () => {
    expect(() => loadConfig({ ...valid, USER_DIRECTORY: 'cognito' })).toThrow(/Missing configuration COGNITO_USER_POOL_ID:/);
    expect(() => loadConfig({ ...valid, USER_DIRECTORY: 'cognito', COGNITO_USER_POOL_ID: 'arn:aws:cognito-idp:x' })).toThrow(/Malformed configuration COGNITO_USER_POOL_ID/);
  });
  test('an unknown directory, a group with a space, a cache out of range are named', () => {
    expect(() => loadConfig({ ...valid, USER_DIRECTORY: 'ldap' })).toThrow(/Malformed configuration USER_DIRECTORY="ldap"/);
    const cognito = { ...valid, USER_DIRECTORY: 'cognito', COGNITO_USER_POOL_ID: 'us-east-1_x1' };
    expect(() => loadConfig({ ...cognito, COGNITO_AGENT_GROUP: 'support agents' })).toThrow(/Malformed configuration COGNITO_AGENT_GROUP/);
    expect(() => loadConfig({ ...cognito, COGNITO_CACHE_SECONDS: '7200' })).toThrow(/Malformed configuration COGNITO_CACHE_SECONDS/);
  });
});

describe('the reconciliation', () => {
  test('defaults: every 15 minutes, the last 24 hours but the last 15 minutes', () => {
    expect(loadConfig(valid).reconcile).toEqual({ intervalMinutes: 15, windowMs: 24 * 3_600_000, graceMs: 15 * 60_000 });
  });

  test('set: hourly over a week, with no grace', () => {
    const config = loadConfig({ ...valid, RECONCILE_INTERVAL_MINUTES: '60', RECONCILE_WINDOW_HOURS: '168', RECONCILE_GRACE_MINUTES: '0' });
    expect(config.reconcile).toEqual({ intervalMinutes: 60, windowMs: 168 * 3_600_000, graceMs: 0 });
  });

  test('a grace that covers the whole window is refused: the reconciliation would look at nothing', () => {
    expect(() => loadConfig({ ...valid, RECONCILE_WINDOW_HOURS: '1', RECONCILE_GRACE_MINUTES: '60' })).toThrow(
      /Malformed configuration RECONCILE_GRACE_MINUTES="60": not less than RECONCILE_WINDOW_HOURS=1/,
    );
  });
});

describe('the SLA policy', () => {
  const docs = (name: string) => join(__dirname, '..', '..', 'docs', name);
  const file = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-policy-'));
    writeFileSync(join(dir, 'policy.json'), text);
    return join(dir, 'policy.json');
  };

  test('without a file: SLA_TARGETS and the defaults; the fingerprint follows the targets', () => {
    const plain = loadConfig(valid).sla;
    expect(plain.policy).toMatchObject({ targets: { time: 'wall', resolution: { 1: 240 }, firstResponse: { 1: 30 } }, groups: {}, warningPercent: 80 });
    expect(plain.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(loadConfig(valid).sla.fingerprint).toBe(plain.fingerprint);
    expect(loadConfig({ ...valid, SLA_TARGETS: '1=5h,2=8h,3=24h,4=72h,5=168h' }).sla.fingerprint).not.toBe(plain.fingerprint);
  });

  test('the documented example loads with the documented calendar', () => {
    const { policy } = loadConfig({ ...valid, SLA_POLICY_FILE: docs('sla-policy.example.json'), SLA_CALENDAR_FILE: docs('sla-calendar.example.json') }).sla;
    expect(policy.targets.time).toBe('business');
    expect(policy.groups.network).toMatchObject({ time: 'wall', resolution: { 1: 120 } });
    expect(policy.groups.facilities).toMatchObject({ time: 'business', firstResponse: { 1: 30 }, resolution: { 1: 480 } });
    // The one README's "Try it" starts the stack with.
    expect(loadConfig({ ...valid, SLA_POLICY_FILE: docs('sla-policy.minutes.json') }).sla.policy).toMatchObject({ targets: { time: 'wall', firstResponse: { 1: 1 }, resolution: { 5: 3 } }, warningPercent: 50 });
  });

  test('a wrong file, or one set beside SLA_TARGETS, is named with what is wrong', () => {
    expect(() => loadConfig({ ...valid, SLA_POLICY_FILE: docs('sla-policy.example.json') })).toThrow(/Malformed configuration SLA_POLICY_FILE=".*": time "business" needs a business calendar \(SLA_CALENDAR_FILE\)/);
    expect(() => loadConfig({ ...valid, SLA_POLICY_FILE: file('{"warningAt": 120}') })).toThrow(/SLA_POLICY_FILE=".*": warningAt 120 must be a whole percentage/);
    expect(() => loadConfig({ ...valid, SLA_POLICY_FILE: file('{}'), SLA_TARGETS: '1=4h,2=8h,3=24h,4=72h,5=168h' })).toThrow(/SLA_POLICY_FILE: set it or SLA_TARGETS, not both/);
  });
});

describe('the sender policy', () => {
  const docs = (name: string) => join(__dirname, '..', '..', 'docs', name);
  const file = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'sender-policy-'));
    writeFileSync(join(dir, 'sender-policy.json'), text);
    return join(dir, 'sender-policy.json');
  };

  test('unset: none (today\'s behaviour); the documented example loads', () => {
    expect(loadConfig(valid).senderPolicy).toBeNull();
    const policy = loadConfig({ ...valid, SENDER_POLICY_FILE: docs('sender-policy.example.json') }).senderPolicy!;
    expect(policy.addresses['vip@example.com']).toMatchObject({ unknownSenders: 'reject', ccParticipants: 'authenticated' });
  });

  test('a missing, malformed or wrong file is named with what is wrong', () => {
    expect(() => loadConfig({ ...valid, SENDER_POLICY_FILE: '/nonexistent/policy.json' })).toThrow(/^Malformed configuration SENDER_POLICY_FILE="\/nonexistent\/policy.json": cannot read it \(ENOENT\)/);
    expect(() => loadConfig({ ...valid, SENDER_POLICY_FILE: file('{') })).toThrow(/^Malformed configuration SENDER_POLICY_FILE=".*": .*JSON/);
    expect(() => loadConfig({ ...valid, SENDER_POLICY_FILE: file('{"default": {"unknownSenders": "bounce"}}') })).toThrow(
      /^Malformed configuration SENDER_POLICY_FILE=".*": default.unknownSenders: one of create, quarantine, reject, got "bounce" \(a JSON sender policy/,
    );
  });
});

describe('the SLA calendar', () => {
  const file = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-'));
    writeFileSync(join(dir, 'calendar.json'), text);
    return join(dir, 'calendar.json');
  };

  test('none by default: targets in wall time', () => {
    expect(loadConfig(valid).slaCalendar).toBeNull();
  });

  test('a calendar file is read and validated', () => {
    const path = file(JSON.stringify({ timeZone: 'Europe/Vienna', hours: { mon: '08:00-16:00' }, holidays: ['2026-12-08'] }));
    expect(loadConfig({ ...valid, SLA_CALENDAR_FILE: path }).slaCalendar).toMatchObject({ timeZone: 'Europe/Vienna', holidays: ['2026-12-08'] });
  });

  const folder = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  const ics = (...dates: string[]) =>
    ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...dates.flatMap((d, i) => ['BEGIN:VEVENT', `UID:${i}@test`, `DTSTART;VALUE=DATE:${d}`, 'END:VEVENT']), 'END:VCALENDAR'].join('\r\n');
  const year = new Date().getUTCFullYear();

  test("a holidayCalendar's dates, relative to the calendar file, join its holidays", () => {
    const dir = folder({
      'calendar.json': JSON.stringify({ timeZone: 'Europe/Vienna', hours: { mon: '08:00-16:00' }, holidays: [`${year}-12-08`], holidayCalendar: 'feiertage.ics' }),
      'feiertage.ics': ics(`${year}1208`, `${year}1225`, `${year + 20}0101`),
    });
    expect(loadConfig({ ...valid, SLA_CALENDAR_FILE: join(dir, 'calendar.json') }).slaCalendar?.holidays).toEqual([`${year}-12-08`, `${year}-12-25`]);
  });

  test('the example calendar loads, with the holidays of its iCal file', () => {
    const calendar = loadConfig({ ...valid, SLA_CALENDAR_FILE: join(__dirname, '..', '..', 'docs', 'sla-calendar.example.json') }).slaCalendar;
    expect(calendar?.holidays).toEqual(expect.arrayContaining(['2026-12-24', `${year}-10-03`, `${year + 10}-12-25`]));
  });

  test('a missing, malformed or misnamed holidayCalendar is named, with SLA_CALENDAR_FILE and what is wrong', () => {
    const load = (holidayCalendar: unknown, files: Record<string, string> = {}) => {
      const dir = folder({ ...files, 'calendar.json': JSON.stringify({ timeZone: 'Europe/Berlin', hours: { mon: '08:00-16:00' }, holidayCalendar }) });
      return () => loadConfig({ ...valid, SLA_CALENDAR_FILE: join(dir, 'calendar.json') });
    };
    expect(load('missing.ics')).toThrow(/Malformed configuration SLA_CALENDAR_FILE=".*calendar.json": holidayCalendar ".*\/missing.ics": cannot read it \(ENOENT\)/);
    expect(load('bad.ics', { 'bad.ics': '{"not": "ical"}' })).toThrow(/Malformed configuration SLA_CALENDAR_FILE=".*": holidayCalendar ".*\/bad.ics": not an iCal calendar: it does not start with BEGIN:VCALENDAR/);
    expect(load('.')).toThrow(/SLA_CALENDAR_FILE=".*": holidayCalendar ".*": cannot read it \(not a file\)/);
    expect(load(7)).toThrow(/SLA_CALENDAR_FILE=".*": holidayCalendar is the path of an iCal file/);
  });

  test('at most 5000 holidays: the calendar travels in workflow inputs', () => {
    const holidays = Array.from({ length: 5001 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10));
    const path = file(JSON.stringify({ timeZone: 'Europe/Berlin', hours: { mon: '08:00-16:00' }, holidays }));
    expect(() => loadConfig({ ...valid, SLA_CALENDAR_FILE: path })).toThrow(/SLA_CALENDAR_FILE=".*": holidays: 5001 dates, more than 5000/);
  });

  test('a missing, unparseable or invalid file is named, with what is wrong', () => {
    expect(() => loadConfig({ ...valid, SLA_CALENDAR_FILE: '/nonexistent/calendar.json' })).toThrow(/Malformed configuration SLA_CALENDAR_FILE="\/nonexistent\/calendar.json": cannot read it \(ENOENT\)/);
    expect(() => loadConfig({ ...valid, SLA_CALENDAR_FILE: file('{"timeZone": ') })).toThrow(/Malformed configuration SLA_CALENDAR_FILE=".*": .*JSON/);
    expect(() => loadConfig({ ...valid, SLA_CALENDAR_FILE: file('{"timeZone": "Europe/Vienna", "hours": {"mon": "16:00-08:00"}}') })).toThrow(
      /Malformed configuration SLA_CALENDAR_FILE=".*": hours.mon: 16:00-08:00 ends before it starts/,
    );
  });
});

describe("other helpdesks' ticket numbers", () => {
  const example = join(__dirname, '..', '..', 'docs', 'external-ticket-patterns.example.json');

  test('unset: none are looked for; the documented example loads from a file or from the variable', () => {
    expect(loadConfig(valid).externalTicketPatterns).toEqual([]);
    expect(loadConfig({ ...valid, EXTERNAL_TICKET_PATTERNS_FILE: example }).externalTicketPatterns.map((p) => p.system)).toEqual(['acme', 'vendor', 'carrier']);
    const inline = loadConfig({ ...valid, EXTERNAL_TICKET_PATTERNS: '[{"system": "vendor", "pattern": "\\\\[VENDOR-(\\\\d{6})\\\\]"}]' }).externalTicketPatterns;
    expect(inline.map((p) => [p.system, p.regex.source, p.body])).toEqual([['vendor', '\\[VENDOR-(\\d{6})\\]', false]]);
  });

  test('a wrong value is named with the variable and what is wrong', () => {
    expect(() => loadConfig({ ...valid, EXTERNAL_TICKET_PATTERNS: '[{"system": "acme"' })).toThrow(/Malformed configuration EXTERNAL_TICKET_PATTERNS: not JSON/);
    expect(() => loadConfig({ ...valid, EXTERNAL_TICKET_PATTERNS: '[{"system": "other", "pattern": "INC\\\\d{7}"}]' })).toThrow(
      /Malformed configuration EXTERNAL_TICKET_PATTERNS: entry 1 \(other\): pattern matches our own incident numbers/,
    );
    expect(() => loadConfig({ ...valid, EXTERNAL_TICKET_PATTERNS: '[{"system": "a", "pattern": "(a)\\\\1"}]' })).toThrow(/EXTERNAL_TICKET_PATTERNS: entry 1 \(a\): pattern: invalid regular expression/);
    expect(() => loadConfig({ ...valid, EXTERNAL_TICKET_PATTERNS: '[]', EXTERNAL_TICKET_PATTERNS_FILE: example })).toThrow(/set EXTERNAL_TICKET_PATTERNS or EXTERNAL_TICKET_PATTERNS_FILE, not both/);
    expect(() => loadConfig({ ...valid, EXTERNAL_TICKET_PATTERNS_FILE: '/nonexistent/patterns.json' })).toThrow(/Malformed configuration EXTERNAL_TICKET_PATTERNS_FILE="\/nonexistent\/patterns.json": cannot read it \(ENOENT\)/);
  });
});

describe('monitoring alerts (ALERT_*)', () => {
  test('defaults: a 2-minute open delay, 5 changes in 30 minutes are flapping, reopen within an hour, 10 keys in 5 minutes are a storm', () => {
    expect(loadConfig(valid).alerts).toEqual({ openDelayMs: 120_000, flapWindowMs: 30 * 60_000, flapThreshold: 5, reopenWindowMs: 60 * 60_000, stormKeys: 10, stormWindowMs: 5 * 60_000 });
  });

  test('set: each variable in its unit', () => {
    const config = loadConfig({ ...valid, ALERT_OPEN_DELAY_SECONDS: '0', ALERT_FLAP_WINDOW_MINUTES: '10', ALERT_FLAP_THRESHOLD: '3', ALERT_REOPEN_WINDOW_MINUTES: '0', ALERT_STORM_KEYS: '2', ALERT_STORM_WINDOW_MINUTES: '15' });
    expect(config.alerts).toEqual({ openDelayMs: 0, flapWindowMs: 600_000, flapThreshold: 3, reopenWindowMs: 0, stormKeys: 2, stormWindowMs: 900_000 });
  });

  test.each([
    ['ALERT_OPEN_DELAY_SECONDS', '-1'],
    ['ALERT_FLAP_WINDOW_MINUTES', '0'],
    ['ALERT_FLAP_THRESHOLD', '1'],
    ['ALERT_REOPEN_WINDOW_MINUTES', 'an hour'],
    ['ALERT_STORM_KEYS', '1'],
    ['ALERT_STORM_WINDOW_MINUTES', '1.5'],
  ])('%s=%s is refused, naming the variable', (name, value) => {
    expect(() => loadConfig({ ...valid, [name]: value })).toThrow(new RegExp(`Malformed configuration ${name}="${value}": expected a whole number`));
  });
});
