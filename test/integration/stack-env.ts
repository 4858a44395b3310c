// The test suite's own local stack: its own folder and ports (the demo's + 10000), so it runs beside
// a demo stack. TEST_STACK_PORT_OFFSET moves it further, for two test runs at once.
// The cluster suite (test/cluster, TEST_STACK_KIND=cluster) gets a stack of its own: a real Temporal
// server with TLS, two workers and two bridges, + 20500 (beside any stack moved by whole thousands, and
// under the real server's highest Temporal port, 32760).
import { join } from 'node:path';

const cluster = process.env.TEST_STACK_KIND === 'cluster';
const offset = Number(process.env.TEST_STACK_PORT_OFFSET ?? (cluster ? 20500 : 10000));
const folder = cluster ? '.stack-cluster-test' : '.stack-test';

export const TEST_STACK_ENV: Record<string, string> = {
  STACK_DIR: join(__dirname, '..', '..', offset === (cluster ? 20500 : 10000) ? folder : `${folder}-${offset}`),
  STACK_TEMPORAL_PORT: String(7233 + offset),
  STACK_TEMPORAL_UI_PORT: String(8233 + offset),
  STACK_AWS_PORT: String(4566 + offset),
  STACK_POSTGRES_PORT: String(5433 + offset),
  STACK_WEB_PORT: String(8090 + offset),
  STACK_WORKER_METRICS_PORT: String(9464 + offset),
  STACK_BRIDGE_METRICS_PORT: String(9465 + offset),
  STACK_WORKER_HEALTH_PORT: String(9466 + offset),
  STACK_BRIDGE_HEALTH_PORT: String(9467 + offset),
  STACK_SES_EVENTS_PORT: String(4567 + offset),
  ...(cluster ? { STACK_TEMPORAL: 'server', STACK_WORKERS: '2', STACK_BRIDGES: '2' } : {}),
  // Lower than the default 40 MiB, so that a test can go over it without uploading 40 MB (hostile-input).
  MAX_RAW_EMAIL_BYTES: String(30 * 1024 * 1024),
  // Rules written by a test are seen by the worker at once.
  RULE_REFRESH_SECONDS: '0',
  // The defaults, and a group with targets of minutes (sla.test.ts watches them warn and breach).
  SLA_POLICY_FILE: join(__dirname, '..', 'fixtures', 'sla-policy.json'),
  // Today's behaviour by default; other policies on test-only ticket addresses (sender-policy.test.ts).
  SENDER_POLICY_FILE: join(__dirname, '..', 'fixtures', 'sender-policy.json'),
  // The default follow-up policy (a reply reopens a closed incident), and two groups with a policy of their
  // own after a 14-day window (follow-up-policy.test.ts routes its incidents there; no other suite does).
  FOLLOW_UP_POLICY_BY_GROUP: 'Follow-up Reject=reject:14; Follow-up New=new-incident:14',
  // Other helpdesks' numbers (external-numbers.test.ts): a vendor's case, another ServiceNow instance's INC.
  EXTERNAL_TICKET_PATTERNS: JSON.stringify([
    { system: 'vendor', pattern: '\\[VENDOR-(\\d{6,12})\\]' },
    { system: 'acme', pattern: '\\[ACME (INC\\d{7})\\]' },
  ]),
  // Monitoring alerts open after 3 s, not 2 minutes; 4 hosts opening within a minute are a storm (alerts.test.ts).
  ALERT_OPEN_DELAY_SECONDS: '3',
  ALERT_STORM_KEYS: '4',
  ALERT_STORM_WINDOW_MINUTES: '1',
};
