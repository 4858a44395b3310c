// One typed configuration object, read from the environment and validated at start.
// A missing or malformed variable is named in the error, with what it should hold.
import { DEFAULT_SLA_TARGETS, parseSlaTargets } from './domain/sla';
import { Priority } from './domain/types';
import { parsePriority } from './domain/sla';
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { KeyRing, parseKeyRing, parseSecretKey } from './encryption/key-ring';
import { BusinessCalendar, parseBusinessCalendar } from './domain/business-calendar';
import { ICAL_LIMITS, holidaysFromICal } from './domain/ical-holidays';
import { isJsonObject } from './domain/json-object';
import { ExternalTicketPattern, parseExternalTicketPatterns } from './domain/external-ticket-numbers';
import { AlertKeySettings, DEFAULT_ALERT_KEY_SETTINGS } from './domain/alert-key';
import { AlertStormSettings, DEFAULT_ALERT_STORM_SETTINGS } from './domain/alert-storm';
import { canonicalSlaPolicy, defaultSlaPolicy, parseSlaPolicy, SlaPolicy } from './domain/sla-policy';
import { parseSenderPolicy, SenderPolicyFile } from './domain/sender-policy';
import { FOLLOW_UP_POLICIES, FollowUpSettings, parseFollowUpByGroup, withReopenDays } from './domain/follow-up-policy';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface Config {
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    /** Unset: plaintext (a local server). The SDK's TLSConfig shape; `{}` means TLS with the system's CAs. */
    tls: TemporalTls | undefined;
    /** Temporal Cloud's API key, sent as a bearer token (over TLS only). */
    apiKey: string | undefined;
  };
  /** `sesEndpoint`: SES's own endpoint when it differs (the local stack's delivery-event emitter). */
  aws: { region: string; endpoint: string | undefined; sesEndpoint?: string | undefined };
  databaseUrl: string;
  inbound: {
    bucket: string;
    /** The receipt rule's ObjectKeyPrefix: SES stores each email at prefix + SES message id. */
    prefix: string;
    topicArn: string;
    queueUrl: string;
    deadLetterQueueUrl: string;
  };
  /** email.to_ticket_address: where customers write, and the From of our mail. */
  ticketAddress: string;
  /** DynamoDB table of routing rules. */
  routingRuleTable: string;
  /** DynamoDB table of parsing rules (structured mail such as monitoring alerts). */
  parsingRuleTable: string;
  /** How long workers keep routing and parsing rules before reading the tables again. */
  ruleRefreshMs: number;
  /** The admin page; absent when ADMIN_PASSWORD is not set (the worker and bridge do not need it). */
  web:
    | {
        host: string;
        port: number;
        adminUser: string;
        adminPassword: string;
        /** Empty: the API refuses every call. */
        apiToken: string;
        /** Calls per minute the API token may make. */
        apiRateLimit: number;
        /** Believe X-Forwarded-Proto and X-Forwarded-For (set only behind a proxy that overwrites them). */
        trustProxy: boolean;
        /** 'always': the session cookie is Secure on every response; 'auto': when the request came over HTTPS. */
        secureCookie: 'auto' | 'always';
        /** Origins of the Temporal Web UI allowed to call the codec endpoints. */
        temporalUiOrigins: string[];
      }
    | undefined;
  confirmationTemplate: string;
  trackingBaseUrl: string;
  spamThreshold: number;
  defaultPriority: Priority;
  slaTargets: Record<Priority, number>;
  /** When set, SLA targets count working time on this calendar (SLA_CALENDAR_FILE); null: wall time. */
  slaCalendar: BusinessCalendar | null;
  /** The SLA policy every incident's clock runs on (SLA_POLICY_FILE, or SLA_TARGETS and defaults), and its fingerprint. */
  sla: { policy: SlaPolicy; fingerprint: string };
  bridge: { concurrency: number; waitTimeSeconds: number; visibilityTimeoutSeconds: number; temporalDownHoldSeconds: number };
  /** The queue's redrive policy: receives before SQS moves a message to the dead-letter queue (`setup`). */
  queueMaxReceiveCount: number;
  worker: {
    shutdownGraceMs: number;
    workflowBundlePath: string | undefined;
    maxConcurrentActivities: number;
    metricsAddress: string | undefined;
    /** Raw bytes parsed at once by one worker. */
    parseBudgetBytes: number;
    /** The SDK's slots, cache and pollers; unset ones keep the SDK's defaults (README, Configuration). */
    tuning: {
      workflowTaskSlots?: number;
      localActivitySlots?: number;
      workflowCacheSize?: number;
      workflowTaskPollers?: number;
      activityTaskPollers?: number;
      activitiesPerSecond?: number;
      taskQueueActivitiesPerSecond?: number;
    };
  };
  /** Recipients per second this worker sends through SES at most (its share of the account's rate); unset: no limit of ours. */
  sesMaxSendRate: number | undefined;
  /** Connections each process keeps to PostgreSQL. */
  databasePoolSize: number;
  /** host:port of the worker's and the bridge's /healthz and /readyz; unset: none. */
  workerHealthAddress: string | undefined;
  bridgeHealthAddress: string | undefined;
  /** host:port of the bridge's Prometheus endpoint (/metrics); unset: no endpoint. */
  bridgeMetricsAddress: string | undefined;
  maxRawEmailBytes: number;
  /** What the EmailSender search attribute holds: search attributes are stored unencoded (personal data). */
  searchSenderAs: 'address' | 'domain' | 'hash';
  /** Customer data in Temporal: the payload keys (encryption) and the key of the keyed hashes (sender, tracking tokens). */
  customerData: { payloadKeys: KeyRing; hashKey: Buffer };
  quarantineRetentionMs: number;
  /** What an unauthenticated sender is sent: nothing, or a confirmation that repeats none of their text. */
  unauthenticatedConfirmation: 'none' | 'minimal';
  /** What unknown senders' mail does and whom a sender's Cc makes participants, by ticket address (SENDER_POLICY_FILE); null: today's behaviour. */
  senderPolicy: SenderPolicyFile | null;
  /** What a reply to a closed incident does: reopen it, be kept as a note (the sender told), or make a linked incident. */
  followUp: FollowUpSettings;
  /** Monitoring alerts per key (host/service): debounce, flapping, reopening, storms (ALERT_*). */
  alerts: AlertKeySettings & AlertStormSettings;
  /** At most `max` auto-responses to one recipient within `windowMs` (FreeScout and Zammad: 10 in 3 hours). */
  autoResponseLimit: { max: number; windowMs: number };
  /** Where reporters and agents are looked up: PostgreSQL's `users` table, or a Cognito user pool. */
  userDirectory: UserDirectoryConfig;
  /** Delivery feedback: the configuration set every outbound message goes through (null: none), and the
   *  queue its events arrive in, which the bridge reads (null: no feedback is read). */
  delivery: { configurationSet: string | null; eventsQueue: { queueUrl: string; deadLetterQueueUrl: string } | null };
  /** The ledger's Schedule (`setup`, `stack up`): how often it runs, how far back it looks, what it leaves to the normal path. */
  reconcile: ReconcileSettings;
  /** Other helpdesks' ticket numbers a reply may carry (EXTERNAL_TICKET_PATTERNS); empty: none are looked for. */
  externalTicketPatterns: ExternalTicketPattern[];
}

export interface ReconcileSettings {
  intervalMinutes: number;
  windowMs: number;
  graceMs: number;
}

export type UserDirectoryConfig =
  | { kind: 'postgres' }
  | { kind: 'cognito'; userPoolId: string; agentGroup: string; cacheMs: number };

export interface TemporalTls {
  serverRootCACertificate?: Buffer;
  serverNameOverride?: string;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

type Env = Record<string, string | undefined>;

/** Documented once, so that `email-to-ticket config` and errors explain each variable the same way. */
export const CONFIG_VARIABLES: Record<string, string> = {
  TEMPORAL_ADDRESS: 'Temporal frontend host:port, e.g. localhost:7233',
  TEMPORAL_NAMESPACE: 'Temporal namespace (default "default")',
  TEMPORAL_TASK_QUEUE: 'task queue of the email-to-ticket workers (default "email-to-ticket")',
  TEMPORAL_TLS: 'yes: connect to Temporal over TLS (default: yes when any TEMPORAL_TLS_* or TEMPORAL_API_KEY is set, else no)',
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: 'PEM file of the CA that issued the Temporal frontend\'s certificate (default: the system\'s CAs)',
  TEMPORAL_TLS_SERVER_NAME: 'name the frontend\'s certificate is checked against, when not the host of TEMPORAL_ADDRESS',
  TEMPORAL_TLS_CLIENT_CERT_PATH: 'PEM file of the client certificate, for mTLS (with TEMPORAL_TLS_CLIENT_KEY_PATH)',
  TEMPORAL_TLS_CLIENT_KEY_PATH: 'PEM file of the client certificate\'s private key, for mTLS',
  TEMPORAL_API_KEY: 'Temporal Cloud API key, sent over TLS (or TEMPORAL_API_KEY_FILE)',
  TEMPORAL_API_KEY_FILE: 'a file holding TEMPORAL_API_KEY',
  AWS_REGION: 'AWS region, e.g. us-east-1',
  AWS_ENDPOINT_URL: 'AWS endpoint override (the local emulator); unset on real AWS',
  AWS_ENDPOINT_URL_SES: 'SES endpoint override, when it differs from AWS_ENDPOINT_URL (the local stack\'s delivery-event emitter); unset on real AWS',
  SES_CONFIGURATION_SET: 'SES configuration set every outbound message is sent through, whose events are the delivery feedback (default email-to-ticket; none: no configuration set)',
  DELIVERY_EVENTS_QUEUE_URL: 'SQS queue URL the configuration set\'s events arrive in (topic stackflow-delivery-events); the bridge reads it; unset: no delivery feedback',
  DELIVERY_EVENTS_DEAD_LETTER_QUEUE_URL: 'SQS queue URL where malformed delivery-event messages are moved; required with DELIVERY_EVENTS_QUEUE_URL',
  DATABASE_URL: 'PostgreSQL connection string, e.g. postgres://user:pass@host:5432/db',
  INBOUND_BUCKET: 'S3 bucket the SES receipt rule stores raw email in',
  INBOUND_PREFIX: 'the receipt rule S3Action ObjectKeyPrefix (default "inbound/")',
  INBOUND_TOPIC_ARN: 'SNS topic the receipt notification is published to',
  INBOUND_QUEUE_URL: 'SQS queue URL the bridge consumes (StackFlow-Events-Ingestion.fifo)',
  DEAD_LETTER_QUEUE_URL: 'SQS queue URL where malformed queue messages are moved',
  TICKET_ADDRESS: 'email.to_ticket_address: the address customers write to; From of our mail',
  ROUTING_RULE_TABLE: 'DynamoDB table of routing rules (default StackFlow_EmailRoutingRule)',
  RULE_REFRESH_SECONDS: 'seconds a worker keeps routing and parsing rules before reading them again (default 30)',
  PARSING_RULE_TABLE: 'DynamoDB table of parsing rules (default StackFlow_EmailParsingRule)',
  ADMIN_USER: 'user name of the admin page (default admin)',
  ADMIN_PASSWORD: 'password of the admin page; the page is not served without it',
  ADMIN_API_TOKEN: 'bearer token of the HTTP API (/api/*), at least 32 characters; the API refuses every call without it',
  ADMIN_API_RATE_LIMIT: 'calls per minute the API token may make (default 300)',
  WEB_TRUST_PROXY: 'yes when the admin page is behind a reverse proxy that sets X-Forwarded-For and X-Forwarded-Proto (default no)',
  WEB_SECURE_COOKIE: 'always: the session cookie is marked Secure on every response; auto: when the request came over HTTPS (default auto)',
  WEB_HOST: 'address the admin page listens on (default 127.0.0.1)',
  WEB_PORT: 'port of the admin page and tracking page (default 8090)',
  TEMPORAL_UI_ORIGIN: 'origin(s) of the Temporal Web UI that may call the codec server /codec/* (CORS), comma-separated, e.g. https://temporal.example.com; unset: none',
  CONFIRMATION_TEMPLATE: 'SES template of the confirmation (default email_to_ticket_confirmation)',
  TRACKING_BASE_URL: 'base URL of the incident tracking page, e.g. https://help.example.com/track',
  SPAM_THRESHOLD: 'spam score at or above which an email is quarantined (default 5)',
  DEFAULT_PRIORITY: 'priority 1..5 when no routing rule sets one (default 4)',
  SLA_TARGETS: `resolution target per priority (default "${DEFAULT_SLA_TARGETS}")`,
  SLA_POLICY_FILE: 'a JSON SLA policy: first-response and resolution targets per priority and per assignment group, business or wall time, warningAt (percent), onReopen (restart|resume); instead of SLA_TARGETS (README, SLAs)',
  SLA_CALENDAR_FILE: 'a JSON business calendar (timeZone, working hours per weekday, holidays): SLA targets then count working time only; unset: wall time (README, SLAs)',
  BRIDGE_CONCURRENCY: 'queue messages the bridge handles at once (default 10)',
  BRIDGE_WAIT_TIME_SECONDS: 'SQS long-poll seconds, 1..20 (default 20)',
  BRIDGE_VISIBILITY_TIMEOUT_SECONDS: 'seconds a received message stays hidden (default 60)',
  BRIDGE_TEMPORAL_DOWN_HOLD_SECONDS: 'seconds a message whose start failed while Temporal was down stays hidden, unless Temporal answers sooner (default 900); with BRIDGE_VISIBILITY_TIMEOUT_SECONDS at most 43200 (SQS\'s 12 hours)',
  QUEUE_MAX_RECEIVE_COUNT: 'receives before SQS moves a message that keeps failing to the dead-letter queue, 1..1000; used by setup (default 10)',
  WORKER_SHUTDOWN_GRACE_MS: 'ms running activities get to finish on SIGTERM (default 10000)',
  WORKFLOW_BUNDLE_PATH: 'prebuilt workflow bundle (default: lib/workflow-bundle.js if present)',
  SENDER_POLICY_FILE: 'a JSON sender policy: what mail from senders who are not users of the directory does (unknownSenders: create, reject or quarantine; rejectionReason) and whom of its To/Cc become participants (ccParticipants: authenticated, known-users or nobody), a default and overrides per ticket address; unset: create, authenticated (README, What happens to an email)',
  ALERT_OPEN_DELAY_SECONDS: 'how long a monitoring PROBLEM waits for its RECOVERY before it opens an incident, 0 to 86400 (default 120)',
  ALERT_FLAP_WINDOW_MINUTES: 'the window in which state changes of one host/service are counted as flapping, 1 to 1440 (default 30)',
  ALERT_FLAP_THRESHOLD: 'state changes within the flap window that make a host/service flapping, 2 to 1000 (default 5)',
  ALERT_REOPEN_WINDOW_MINUTES: 'a PROBLEM this soon after its recovery reopens the resolved incident, 0 to 10080 (default 60)',
  ALERT_STORM_KEYS: 'hosts/services opening incidents within the storm window that make an alert storm (one parent incident), 2 to 100000 (default 10)',
  ALERT_STORM_WINDOW_MINUTES: 'the window of an alert storm, 1 to 1440 (default 5)',
  UNAUTHENTICATED_CONFIRMATION: 'what a sender SES could not authenticate is sent: none, or minimal (no subject or name repeated) (default none)',
  QUARANTINE_RETENTION_DAYS: 'days a quarantined email waits for an admin before it is discarded (default 30)',
  FOLLOW_UP_POLICY: 'what a reply to a closed incident does: reopen (default), reject (kept as a note; an authenticated sender is told to write a new email) or new-incident (a new incident linked to the closed one)',
  FOLLOW_UP_REOPEN_DAYS: 'days after the close during which a reply still reopens the incident; after them FOLLOW_UP_POLICY applies, 0..3650 (default 0: at once); not with reopen; a group of FOLLOW_UP_POLICY_BY_GROUP has its own',
  FOLLOW_UP_POLICY_BY_GROUP: 'a follow-up policy per assignment group, instead of FOLLOW_UP_POLICY for its incidents: Group=policy[:days] separated by ;, e.g. "Billing=reject:14; Network=new-incident"',
  AUTO_RESPONSE_LIMIT: 'auto-responses to one recipient within the window (default 10)',
  AUTO_RESPONSE_WINDOW_MINUTES: 'the window of AUTO_RESPONSE_LIMIT in minutes (default 180)',
  WORKER_MAX_CONCURRENT_ACTIVITIES: 'activities one worker runs at once (default 20)',
  WORKER_WORKFLOW_TASK_SLOTS: 'workflow tasks one worker runs at once (default: the SDK\'s)',
  WORKER_LOCAL_ACTIVITY_SLOTS: 'local activities one worker runs at once (default: the SDK\'s)',
  WORKER_WORKFLOW_CACHE_SIZE: 'workflows one worker keeps in memory between tasks (default: the SDK\'s, from the memory available)',
  WORKER_WORKFLOW_TASK_POLLERS: 'concurrent workflow task polls of one worker, at least 2 (default: the SDK\'s)',
  WORKER_ACTIVITY_TASK_POLLERS: 'concurrent activity task polls of one worker (default: the SDK\'s)',
  WORKER_MAX_ACTIVITIES_PER_SECOND: 'activities (not local activities) one worker starts per second, e.g. 0.5 or 20 (default: no limit)',
  TASK_QUEUE_MAX_ACTIVITIES_PER_SECOND: 'activities (not local activities) the task queue hands out per second to all workers together, enforced by Temporal (default: no limit)',
  SES_MAX_SEND_RATE: 'recipients per second one worker sends through SES at most, e.g. 3.5: the account\'s maximum send rate divided among the workers (default: no limit)',
  DATABASE_POOL_SIZE: 'PostgreSQL connections each process keeps (default 10)',
  WORKER_HEALTH_ADDRESS: 'host:port where the worker serves /healthz and /readyz (Temporal, PostgreSQL, polling); unset: none',
  BRIDGE_HEALTH_ADDRESS: 'host:port where the bridge serves /healthz and /readyz (Temporal, SQS); unset: none',
  WORKER_PARSE_BUDGET_BYTES: 'raw email bytes one worker parses at once; bounds its memory with large emails (default 25165824)',
  SEARCH_SENDER_AS: 'what the EmailSender search attribute holds: hash (default: a keyed hash of the address), domain or address',
  PAYLOAD_KEYS: 'keys that encrypt what Temporal stores: id:base64 of 32 random bytes, comma-separated; the first encrypts, all decrypt (or PAYLOAD_KEYS_FILE)',
  PAYLOAD_KEYS_FILE: 'a file holding PAYLOAD_KEYS, one id:base64key per line',
  CUSTOMER_HASH_KEY: 'base64 of 32 random bytes: the key of the EmailSender hash and of the tracking tokens (or CUSTOMER_HASH_KEY_FILE)',
  CUSTOMER_HASH_KEY_FILE: 'a file holding CUSTOMER_HASH_KEY',
  WORKER_METRICS_ADDRESS: 'host:port where the worker serves Prometheus metrics at /metrics (Temporal SDK and ours); unset: none',
  BRIDGE_METRICS_ADDRESS: 'host:port where the bridge serves Prometheus metrics at /metrics; unset: none',
  MAX_RAW_EMAIL_BYTES: 'largest raw email processed; larger ones are quarantined (default 41943040)',
  USER_DIRECTORY: 'where reporters and agents are looked up: postgres (the users table) or cognito (the user pool COGNITO_USER_POOL_ID) (default postgres)',
  COGNITO_USER_POOL_ID: 'the Cognito user pool of the user directory, e.g. us-east-1_AbC123xyz; required when USER_DIRECTORY=cognito',
  COGNITO_AGENT_GROUP: 'the user pool group whose members are agents (default agents)',
  COGNITO_CACHE_SECONDS: 'seconds a worker keeps a user pool answer (a user, or that there is none) and the agent list, 0..3600 (default 60)',
  RECONCILE_INTERVAL_MINUTES: 'minutes between runs of the reconciliation, which starts stored emails whose notification never came, 1..1440; used by setup (default 15)',
  RECONCILE_WINDOW_HOURS: 'hours back the reconciliation looks at stored emails, 1..720 (default 24)',
  RECONCILE_GRACE_MINUTES: 'minutes the reconciliation leaves a stored email to the normal path before starting it, 0..1440, less than the window (default 15)',
  EXTERNAL_TICKET_PATTERNS: 'other helpdesks\' ticket numbers a reply may carry, a JSON array of at most 20 {"system": "acme", "pattern": "\\\\[ACME (INC\\\\d{7})\\\\]", "body": false} (RE2 syntax; the number is the group named number, else the first group) (or EXTERNAL_TICKET_PATTERNS_FILE); unset: none (README, Threads)',
  EXTERNAL_TICKET_PATTERNS_FILE: 'a file holding EXTERNAL_TICKET_PATTERNS',
};

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`Missing configuration ${name}: ${CONFIG_VARIABLES[name]}`);
  return value;
}

function optional(env: Env, name: string, fallback: string): string {
  return env[name]?.trim() || fallback;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`Malformed configuration ${name}="${raw}": expected a whole number ${min}..${max} (${CONFIG_VARIABLES[name]})`);
  }
  return value;
}

/** A whole number, or undefined when the variable is unset (the library's default applies). */
function optionalInteger(env: Env, name: string, min: number, max: number): number | undefined {
  return env[name]?.trim() ? integer(env, name, 0, min, max) : undefined;
}

/**
 * A message's visibility may not pass 12 hours after its receive (SQS refuses the change): the hold is set
 * within the visibility timeout of the receive, so the two together stay under it.
 */
function temporalDownHoldSeconds(env: Env, visibilityTimeoutSeconds: number): number {
  const hold = integer(env, 'BRIDGE_TEMPORAL_DOWN_HOLD_SECONDS', 900, 1, 43200);
  if (hold + visibilityTimeoutSeconds > 43200) {
    throw new ConfigError(
      `Malformed configuration BRIDGE_TEMPORAL_DOWN_HOLD_SECONDS="${hold}": with BRIDGE_VISIBILITY_TIMEOUT_SECONDS=${visibilityTimeoutSeconds} over SQS's 43200 seconds (${CONFIG_VARIABLES.BRIDGE_TEMPORAL_DOWN_HOLD_SECONDS})`,
    );
  }
  return hold;
}

/** The user directory: PostgreSQL, or a Cognito user pool (its id as Cognito writes it: region_id). */
function userDirectory(env: Env): UserDirectoryConfig {
  const kind = oneOf(env, 'USER_DIRECTORY', ['postgres', 'cognito'] as const, 'postgres');
  if (kind === 'postgres') return { kind };
  const userPoolId = required(env, 'COGNITO_USER_POOL_ID');
  if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(userPoolId)) {
    throw new ConfigError(`Malformed configuration COGNITO_USER_POOL_ID="${userPoolId}": expected a user pool id such as us-east-1_AbC123xyz (${CONFIG_VARIABLES.COGNITO_USER_POOL_ID})`);
  }
  const agentGroup = optional(env, 'COGNITO_AGENT_GROUP', 'agents');
  if (!/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u.test(agentGroup)) {
    throw new ConfigError(`Malformed configuration COGNITO_AGENT_GROUP="${agentGroup}": expected a group name of 1 to 128 characters without spaces (${CONFIG_VARIABLES.COGNITO_AGENT_GROUP})`);
  }
  return { kind, userPoolId, agentGroup, cacheMs: integer(env, 'COGNITO_CACHE_SECONDS', 60, 0, 3600) * 1000 };
}

/** QUEUE_MAX_RECEIVE_COUNT alone: `stack up` and `setup` provision the queue before the rest is configured. */
export const queueMaxReceiveCount = (env: Env = process.env) => integer(env, 'QUEUE_MAX_RECEIVE_COUNT', 10, 1, 1000);

/**
 * RECONCILE_* alone: `stack up` and `setup` create the Schedule with them. The grace must leave part of the
 * window, or the reconciliation would look at nothing.
 */
export function reconcileSettings(env: Env = process.env): ReconcileSettings {
  const windowHours = integer(env, 'RECONCILE_WINDOW_HOURS', 24, 1, 720);
  const graceMinutes = integer(env, 'RECONCILE_GRACE_MINUTES', 15, 0, 1440);
  if (graceMinutes >= windowHours * 60) {
    throw new ConfigError(`Malformed configuration RECONCILE_GRACE_MINUTES="${graceMinutes}": not less than RECONCILE_WINDOW_HOURS=${windowHours} (${CONFIG_VARIABLES.RECONCILE_GRACE_MINUTES})`);
  }
  return { intervalMinutes: integer(env, 'RECONCILE_INTERVAL_MINUTES', 15, 1, 1440), windowMs: windowHours * 3_600_000, graceMs: graceMinutes * 60_000 };
}

/** A number above 0 (fractions allowed), or undefined when the variable is unset. */
function optionalRate(env: Env, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > 1_000_000) {
    throw new ConfigError(`Malformed configuration ${name}="${raw}": expected a number above 0, e.g. 2.5 (${CONFIG_VARIABLES[name]})`);
  }
  return value;
}

function url(env: Env, name: string, optionalValue = false): string | undefined {
  const value = optionalValue ? env[name]?.trim() : required(env, name);
  if (!value) return undefined;
  try {
    new URL(value);
  } catch {
    throw new ConfigError(`Malformed configuration ${name}="${value}": expected a URL (${CONFIG_VARIABLES[name]})`);
  }
  return value;
}

function emailAddress(env: Env, name: string): string {
  const value = required(env, name).toLowerCase();
  if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(value)) {
    throw new ConfigError(`Malformed configuration ${name}="${value}": expected an email address (${CONFIG_VARIABLES[name]})`);
  }
  return value;
}

function address(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (!/^[\w.-]+:\d{1,5}$/.test(value)) throw new ConfigError(`Malformed configuration ${name}="${value}": expected host:port (${CONFIG_VARIABLES[name]})`);
  return value;
}

/** Origins (scheme://host[:port], nothing more), comma-separated. */
function origins(env: Env, name: string): string[] {
  const list = (env[name] ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of list) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin) throw new ConfigError(`Malformed configuration ${name}="${origin}": expected an origin such as https://temporal.example.com (${CONFIG_VARIABLES[name]})`);
  }
  return list;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = (env[name]?.trim() || fallback) as T;
  if (!allowed.includes(value)) throw new ConfigError(`Malformed configuration ${name}="${value}": one of ${allowed.join(', ')} (${CONFIG_VARIABLES[name]})`);
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['yes', 'true', '1'].includes(raw)) return true;
  if (['no', 'false', '0'].includes(raw)) return false;
  throw new ConfigError(`Malformed configuration ${name}="${env[name]}": expected yes or no (${CONFIG_VARIABLES[name]})`);
}

/** A secret from the variable itself or from the file its _FILE twin names (one of the two). */
function secret<T>(env: Env, name: string, parse: (text: string) => T): T {
  const parsed = valueOrFile(env, name, parse);
  if (!parsed) throw new ConfigError(`Missing configuration ${name}: ${CONFIG_VARIABLES[name]}`);
  return parsed.value;
}

/** The variable's value, or the content of the file its _FILE twin names (one of the two), parsed; unset: undefined. */
function valueOrFile<T>(env: Env, name: string, parse: (text: string) => T): { value: T } | undefined {
  const fileName = `${name}_FILE`;
  const value = env[name]?.trim();
  const file = env[fileName]?.trim();
  if (value && file) throw new ConfigError(`Malformed configuration ${name}: set ${name} or ${fileName}, not both`);
  if (!value && !file) return undefined;
  let text = value;
  if (file) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`Malformed configuration ${fileName}="${file}": cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  try {
    return { value: parse(text!) };
  } catch (err) {
    throw new ConfigError(`Malformed configuration ${file ? fileName : name}: ${(err as Error).message}`);
  }
}

/** Other helpdesks' number patterns, compiled and checked at start (domain/external-ticket-numbers). */
function externalTicketPatterns(env: Env): ExternalTicketPattern[] {
  const parse = (text: string) => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new Error(`not JSON (${(err as Error).message})`);
    }
    return parseExternalTicketPatterns(json);
  };
  return valueOrFile(env, 'EXTERNAL_TICKET_PATTERNS', parse)?.value ?? [];
}

/** The file a variable names, read and parsed; unset: undefined. Either failure names the variable and the file. */
function configFile<T>(env: Env, name: string, parse: (content: Buffer) => T): T | undefined {
  const file = env[name]?.trim();
  if (!file) return undefined;
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch (err) {
    throw new ConfigError(`Malformed configuration ${name}="${file}": cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return parse(content);
  } catch (err) {
    throw new ConfigError(`Malformed configuration ${name}="${file}": ${(err as Error).message} (${CONFIG_VARIABLES[name]})`);
  }
}

/** A PEM file's bytes, once `check` accepted them. */
const pemFile = (env: Env, name: string, check: (pem: string) => void): Buffer | undefined =>
  configFile(env, name, (pem) => {
    check(pem.toString('utf8'));
    return pem;
  });

const certificate = (pem: string) => {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('not a PEM certificate');
  new X509Certificate(pem);
};
const privateKey = (pem: string) => {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) throw new Error('not a PEM private key');
  createPrivateKey(pem);
};

/** How we reach Temporal: plaintext, TLS, mTLS, or an API key over TLS (Temporal Cloud). */
function temporalSecurity(env: Env): { tls: TemporalTls | undefined; apiKey: string | undefined } {
  const ca = pemFile(env, 'TEMPORAL_TLS_SERVER_CA_CERT_PATH', certificate);
  const crt = pemFile(env, 'TEMPORAL_TLS_CLIENT_CERT_PATH', certificate);
  const key = pemFile(env, 'TEMPORAL_TLS_CLIENT_KEY_PATH', privateKey);
  if (!crt !== !key) throw new ConfigError('Malformed configuration TEMPORAL_TLS_CLIENT_CERT_PATH/TEMPORAL_TLS_CLIENT_KEY_PATH: mTLS needs both the client certificate and its key');
  if (crt && key && !new X509Certificate(crt).checkPrivateKey(createPrivateKey(key))) {
    throw new ConfigError('Malformed configuration TEMPORAL_TLS_CLIENT_KEY_PATH: not the private key of the certificate in TEMPORAL_TLS_CLIENT_CERT_PATH');
  }
  const serverName = env.TEMPORAL_TLS_SERVER_NAME?.trim() || undefined;
  if (serverName && !/^[A-Za-z0-9.-]{1,253}$/.test(serverName)) throw new ConfigError(`Malformed configuration TEMPORAL_TLS_SERVER_NAME="${serverName}": expected a host name`);
  const apiKey = env.TEMPORAL_API_KEY?.trim() || env.TEMPORAL_API_KEY_FILE?.trim() ? secret(env, 'TEMPORAL_API_KEY', (text) => {
    const value = text.trim();
    if (!/^[\x21-\x7e]+$/.test(value)) throw new Error('expected one line of printable characters');
    return value;
  }) : undefined;
  const configured = Boolean(ca || crt || serverName || apiKey);
  const tls = flag(env, 'TEMPORAL_TLS', configured);
  if (!tls && configured) {
    throw new ConfigError('Malformed configuration TEMPORAL_TLS=no: TEMPORAL_TLS_* or TEMPORAL_API_KEY are set, and they need TLS (an API key would travel in the clear)');
  }
  if (!tls) return { tls: undefined, apiKey: undefined };
  return {
    tls: {
      ...(ca && { serverRootCACertificate: ca }),
      ...(serverName && { serverNameOverride: serverName }),
      ...(crt && key && { clientCertPair: { crt, key } }),
    },
    apiKey,
  };
}

function adminPasswordChecked(password: string): true {
  if (password.length < 12) throw new ConfigError(`Malformed configuration ADMIN_PASSWORD: at least 12 characters (${CONFIG_VARIABLES.ADMIN_PASSWORD})`);
  return true;
}

/** A short token can be guessed; the value itself is never echoed. */
function apiToken(env: Env): string {
  const token = env.ADMIN_API_TOKEN?.trim() ?? '';
  if (token && token.length < 32) {
    throw new ConfigError(`Malformed configuration ADMIN_API_TOKEN: ${token.length} characters, at least 32 (${CONFIG_VARIABLES.ADMIN_API_TOKEN})`);
  }
  return token;
}

export function loadConfig(env: Env = process.env): Config {
  const defaultPriority = parsePriority(optional(env, 'DEFAULT_PRIORITY', '4'));
  if (defaultPriority === null) {
    throw new ConfigError(`Malformed configuration DEFAULT_PRIORITY="${env.DEFAULT_PRIORITY}": ${CONFIG_VARIABLES.DEFAULT_PRIORITY}`);
  }
  let slaTargets: Record<Priority, number>;
  try {
    slaTargets = parseSlaTargets(optional(env, 'SLA_TARGETS', DEFAULT_SLA_TARGETS));
  } catch (err) {
    throw new ConfigError(`Malformed configuration SLA_TARGETS: ${(err as Error).message}`);
  }
  const visibilityTimeoutSeconds = integer(env, 'BRIDGE_VISIBILITY_TIMEOUT_SECONDS', 60, 5, 43200);
  const calendar = slaCalendar(env);
  return {
    temporal: {
      address: required(env, 'TEMPORAL_ADDRESS'),
      namespace: optional(env, 'TEMPORAL_NAMESPACE', 'default'),
      taskQueue: optional(env, 'TEMPORAL_TASK_QUEUE', 'email-to-ticket'),
      ...temporalSecurity(env),
    },
    aws: { region: required(env, 'AWS_REGION'), endpoint: url(env, 'AWS_ENDPOINT_URL', true), sesEndpoint: url(env, 'AWS_ENDPOINT_URL_SES', true) },
    databaseUrl: url(env, 'DATABASE_URL') as string,
    inbound: {
      bucket: required(env, 'INBOUND_BUCKET'),
      // Empty is a valid prefix (a receipt rule without ObjectKeyPrefix); only an unset variable defaults.
      prefix: env.INBOUND_PREFIX ?? 'inbound/',
      topicArn: required(env, 'INBOUND_TOPIC_ARN'),
      queueUrl: url(env, 'INBOUND_QUEUE_URL') as string,
      deadLetterQueueUrl: url(env, 'DEAD_LETTER_QUEUE_URL') as string,
    },
    ticketAddress: emailAddress(env, 'TICKET_ADDRESS'),
    routingRuleTable: optional(env, 'ROUTING_RULE_TABLE', 'StackFlow_EmailRoutingRule'),
    parsingRuleTable: optional(env, 'PARSING_RULE_TABLE', 'StackFlow_EmailParsingRule'),
    ruleRefreshMs: integer(env, 'RULE_REFRESH_SECONDS', 30, 0, 86400) * 1000,
    web: env.ADMIN_PASSWORD?.trim()
      ? adminPasswordChecked(env.ADMIN_PASSWORD.trim()) && {
          host: optional(env, 'WEB_HOST', '127.0.0.1'),
          port: integer(env, 'WEB_PORT', 8090, 1, 65535),
          adminUser: optional(env, 'ADMIN_USER', 'admin'),
          adminPassword: env.ADMIN_PASSWORD.trim(),
          apiToken: apiToken(env),
          apiRateLimit: integer(env, 'ADMIN_API_RATE_LIMIT', 300, 1, 1_000_000),
          trustProxy: flag(env, 'WEB_TRUST_PROXY', false),
          secureCookie: oneOf(env, 'WEB_SECURE_COOKIE', ['auto', 'always'] as const, 'auto'),
          temporalUiOrigins: origins(env, 'TEMPORAL_UI_ORIGIN'),
        }
      : undefined,
    confirmationTemplate: optional(env, 'CONFIRMATION_TEMPLATE', 'email_to_ticket_confirmation'),
    trackingBaseUrl: (url(env, 'TRACKING_BASE_URL') as string).replace(/\/+$/, ''),
    spamThreshold: integer(env, 'SPAM_THRESHOLD', 5, 1, 1000),
    defaultPriority,
    slaTargets,
    slaCalendar: calendar,
    sla: slaPolicy(env, slaTargets, calendar),
    bridge: {
      concurrency: integer(env, 'BRIDGE_CONCURRENCY', 10, 1, 500),
      waitTimeSeconds: integer(env, 'BRIDGE_WAIT_TIME_SECONDS', 20, 1, 20),
      visibilityTimeoutSeconds,
      temporalDownHoldSeconds: temporalDownHoldSeconds(env, visibilityTimeoutSeconds),
    },
    queueMaxReceiveCount: queueMaxReceiveCount(env),
    worker: {
      shutdownGraceMs: integer(env, 'WORKER_SHUTDOWN_GRACE_MS', 10000, 0, 600000),
      workflowBundlePath: env.WORKFLOW_BUNDLE_PATH?.trim() || undefined,
      maxConcurrentActivities: integer(env, 'WORKER_MAX_CONCURRENT_ACTIVITIES', 20, 1, 1000),
      metricsAddress: address(env, 'WORKER_METRICS_ADDRESS'),
      parseBudgetBytes: integer(env, 'WORKER_PARSE_BUDGET_BYTES', 24 * 1024 * 1024, 1024 * 1024, 1024 * 1024 * 1024),
      tuning: {
        workflowTaskSlots: optionalInteger(env, 'WORKER_WORKFLOW_TASK_SLOTS', 1, 10_000),
        localActivitySlots: optionalInteger(env, 'WORKER_LOCAL_ACTIVITY_SLOTS', 1, 10_000),
        workflowCacheSize: optionalInteger(env, 'WORKER_WORKFLOW_CACHE_SIZE', 0, 1_000_000),
        workflowTaskPollers: optionalInteger(env, 'WORKER_WORKFLOW_TASK_POLLERS', 2, 100),
        activityTaskPollers: optionalInteger(env, 'WORKER_ACTIVITY_TASK_POLLERS', 1, 100),
        activitiesPerSecond: optionalRate(env, 'WORKER_MAX_ACTIVITIES_PER_SECOND'),
        taskQueueActivitiesPerSecond: optionalRate(env, 'TASK_QUEUE_MAX_ACTIVITIES_PER_SECOND'),
      },
    },
    sesMaxSendRate: optionalRate(env, 'SES_MAX_SEND_RATE'),
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 1000),
    bridgeMetricsAddress: address(env, 'BRIDGE_METRICS_ADDRESS'),
    workerHealthAddress: address(env, 'WORKER_HEALTH_ADDRESS'),
    bridgeHealthAddress: address(env, 'BRIDGE_HEALTH_ADDRESS'),
    maxRawEmailBytes: integer(env, 'MAX_RAW_EMAIL_BYTES', 40 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    searchSenderAs: oneOf(env, 'SEARCH_SENDER_AS', ['address', 'domain', 'hash'] as const, 'hash'),
    customerData: { payloadKeys: secret(env, 'PAYLOAD_KEYS', parseKeyRing), hashKey: secret(env, 'CUSTOMER_HASH_KEY', parseSecretKey) },
    quarantineRetentionMs: integer(env, 'QUARANTINE_RETENTION_DAYS', 30, 1, 3650) * 24 * 60 * 60 * 1000,
    unauthenticatedConfirmation: oneOf(env, 'UNAUTHENTICATED_CONFIRMATION', ['none', 'minimal'] as const, 'none'),
    senderPolicy: configFile(env, 'SENDER_POLICY_FILE', (content) => parseSenderPolicy(JSON.parse(content.toString('utf8')))) ?? null,
    followUp: followUpSettings(env),
    alerts: alertSettings(env),
    autoResponseLimit: {
      max: integer(env, 'AUTO_RESPONSE_LIMIT', 10, 0, 100000),
      windowMs: integer(env, 'AUTO_RESPONSE_WINDOW_MINUTES', 180, 1, 525600) * 60 * 1000,
    },
    userDirectory: userDirectory(env),
    reconcile: reconcileSettings(env),
    delivery: deliverySettings(env),
    externalTicketPatterns: externalTicketPatterns(env),
  };
}

/** FOLLOW_UP_*: the default (today's: a reply reopens) unless set. */
function followUpSettings(env: Env): FollowUpSettings {
  const policy = oneOf(env, 'FOLLOW_UP_POLICY', FOLLOW_UP_POLICIES, 'reopen');
  const days = env.FOLLOW_UP_REOPEN_DAYS?.trim() || '0';
  const parsed = <T>(name: string, parse: () => T): T => {
    try {
      return parse();
    } catch (err) {
      throw new ConfigError(`Malformed configuration ${name}: ${(err as Error).message} (${CONFIG_VARIABLES[name]})`);
    }
  };
  return {
    policy: parsed('FOLLOW_UP_REOPEN_DAYS', () => withReopenDays(policy, days)),
    byGroup: parsed('FOLLOW_UP_POLICY_BY_GROUP', () => parseFollowUpByGroup(env.FOLLOW_UP_POLICY_BY_GROUP ?? '')),
  };
}

/** The JSON calendar, the dates of its holidayCalendar (an iCal file, relative to the JSON's folder) among its holidays. */
function alertSettings(env: Env): Config['alerts'] {
  const minute = 60_000;
  return {
    openDelayMs: integer(env, 'ALERT_OPEN_DELAY_SECONDS', DEFAULT_ALERT_KEY_SETTINGS.openDelayMs / 1000, 0, 86400) * 1000,
    flapWindowMs: integer(env, 'ALERT_FLAP_WINDOW_MINUTES', DEFAULT_ALERT_KEY_SETTINGS.flapWindowMs / minute, 1, 1440) * minute,
    flapThreshold: integer(env, 'ALERT_FLAP_THRESHOLD', DEFAULT_ALERT_KEY_SETTINGS.flapThreshold, 2, 1000),
    reopenWindowMs: integer(env, 'ALERT_REOPEN_WINDOW_MINUTES', DEFAULT_ALERT_KEY_SETTINGS.reopenWindowMs / minute, 0, 10080) * minute,
    stormKeys: integer(env, 'ALERT_STORM_KEYS', DEFAULT_ALERT_STORM_SETTINGS.stormKeys, 2, 100000),
    stormWindowMs: integer(env, 'ALERT_STORM_WINDOW_MINUTES', DEFAULT_ALERT_STORM_SETTINGS.stormWindowMs / minute, 1, 1440) * minute,
  };
}

function slaCalendar(env: Env): BusinessCalendar | null {
  const calendar = (content: Buffer) => {
    const spec: unknown = JSON.parse(content.toString('utf8'));
    if (!isJsonObject(spec) || spec.holidayCalendar === undefined) return parseBusinessCalendar(spec);
    const { holidayCalendar, ...rest } = spec;
    if (typeof holidayCalendar !== 'string' || !holidayCalendar.trim()) throw new Error('holidayCalendar is the path of an iCal file (.ics)');
    const path = resolve(dirname(env.SLA_CALENDAR_FILE!.trim()), holidayCalendar.trim());
    let text: string;
    try {
      // Checked before reading: a device or a huge file would hang the start or fill the memory.
      const stat = statSync(path);
      if (!stat.isFile()) throw new Error('not a file');
      if (stat.size > ICAL_LIMITS.bytes) throw new Error(`larger than ${ICAL_LIMITS.bytes} bytes`);
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new Error(`holidayCalendar "${path}": cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    const thisYear = new Date().getUTCFullYear();
    let dates: string[];
    try {
      dates = holidaysFromICal(text, thisYear - 1, thisYear + 10);
    } catch (err) {
      throw new Error(`holidayCalendar "${path}": ${(err as Error).message}`);
    }
    const listed = rest.holidays ?? [];
    return parseBusinessCalendar({ ...rest, holidays: Array.isArray(listed) ? [...new Set([...listed, ...dates])] : listed });
  };
  return configFile(env, 'SLA_CALENDAR_FILE', calendar) ?? null;
}

/** SES allows letters, digits, _ and - in a configuration set's name, up to 64 characters. */
function deliverySettings(env: Env): Config['delivery'] {
  const name = optional(env, 'SES_CONFIGURATION_SET', 'email-to-ticket');
  if (name !== 'none' && !/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
    throw new ConfigError(`Malformed configuration SES_CONFIGURATION_SET="${name}": letters, digits, _ and - only, at most 64 (${CONFIG_VARIABLES.SES_CONFIGURATION_SET})`);
  }
  const queueUrl = url(env, 'DELIVERY_EVENTS_QUEUE_URL', true);
  return {
    configurationSet: name === 'none' ? null : name,
    eventsQueue: queueUrl ? { queueUrl, deadLetterQueueUrl: url(env, 'DELIVERY_EVENTS_DEAD_LETTER_QUEUE_URL') as string } : null,
  };
}

/** The policy file replaces SLA_TARGETS: both set would leave the reader guessing which one counts. */
function slaPolicy(env: Env, resolution: Record<Priority, number>, calendar: BusinessCalendar | null): Config['sla'] {
  const defaults = defaultSlaPolicy(resolution, calendar);
  if (env.SLA_POLICY_FILE?.trim() && env.SLA_TARGETS?.trim()) {
    throw new ConfigError('Malformed configuration SLA_POLICY_FILE: set it or SLA_TARGETS, not both (the policy file holds the resolution targets)');
  }
  const policy = configFile(env, 'SLA_POLICY_FILE', (content) => parseSlaPolicy(JSON.parse(content.toString('utf8')), defaults)) ?? defaults;
  return { policy, fingerprint: createHash('sha256').update(canonicalSlaPolicy(policy)).digest('hex') };
}
