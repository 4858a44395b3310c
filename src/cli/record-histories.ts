// `history record DIR [--prefix P]`: runs the product's scenarios on the local stack and saves each workflow
// history as a replay fixture (test/histories/<P><name>.json): every change to the workflows is then replayed
// against them. The scenarios cover every way an inbound email ends and the thread's events; each checks
// that its email really took the path it is named after before the history is saved.
import { DeleteIdentityCommand, ListIdentitiesCommand, VerifyDomainIdentityCommand, VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Client } from '@temporalio/client';
import { DEFAULT_PARSING_RULES } from '../domain/parsing-rules';
import { SesVerdicts } from '../domain/types';
import { searchSenderSetting } from '../mail/search-sender';
import { startInboundEmail } from '../bridge/start-inbound-email';
import { addAgentComment, closeIncident, waitForComment } from '../operations/incident-thread';
import { startSlaReplan } from '../operations/sla-replan';
import { incidentSla } from '../db/sla';
import { discardQuarantined, releaseQuarantined } from '../operations/quarantine';
import { reconcileNow } from '../operations/reconciliation';
import { alertKeyWorkflowId, ALERT_STORM_WORKFLOW_ID, deliveryEventWorkflowId, incidentSlaWorkflowId, incidentThreadWorkflowId, inboundEmailWorkflowId, slaReplanWorkflowId } from '../domain/workflow-ids';
import { deliveryEventKeys, liftSuppression } from '../db/delivery-events';
import { PROJECT_ROOT, stackSettings } from '../stack/settings';
import { startPostgres, stopPostgres } from '../stack/postgres';
import { sleep } from '../stack/processes';
import { Deployment } from '../operations/deployment';
import { EmailStatusView, isSettled, waitForEmail } from '../operations/email-status';
import { exportHistory } from './history';
import { alertKeyHash } from '../encryption/keyed-hash';
import { alertKeyQuery, alertStormQuery } from '../workflows';
import { ingestEmail, newSesMessageId } from '../operations/ingest-email';

/** Every fixture the recorder writes (without prefix): the replay test checks the current version has them all. */
export const RECORDED_SCENARIOS = [
  'new-ticket',
  'duplicate-delivery',
  'quarantine-release',
  'reply-threaded',
  'thread-agent-comment-and-reply',
  'retry-after-failure',
  'thread-continued-as-new',
  'quarantine-discard',
  'quarantine-retention-expired',
  'failed-raw-email-missing',
  'unparseable-quarantined-release',
  'too-large-quarantined-discard',
  'routing-ignored',
  'auto-reply-ignored',
  'bulk-no-confirmation',
  'reply-refused-new-incident',
  'confirmation-refused',
  'thread-comment-not-sent',
  'own-address-no-confirmation',
  'alert-problem-forwarded',
  'alert-recovery-forwarded',
  'alert-key-opened-resolved-reopened',
  'thread-alerts-and-recovery',
  'alert-key-recovery-before-problem',
  'alert-key-debounced',
  'alert-key-flapping',
  'alert-storm',
  'unauthenticated-no-confirmation',
  'reply-unverified',
  'reconciliation-started-lost-email',
  'delivery-feedback-bounce',
  'sla-clock-paused-and-closed',
  'sla-replan',
] as const;

export type RecordedScenario = (typeof RECORDED_SCENARIOS)[number];

export interface RecordOptions {
  /** Put in front of every file name, e.g. 'v6-' for the fixtures of a new workflow version. Default none. */
  prefix?: string;
}

const fixture = (name: string, messageId: string) =>
  Buffer.from(
    readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', name)).toString('latin1').replace(/^Message-ID:.*$/im, `Message-ID: <${messageId}@recorded.example>`),
    'latin1',
  );

const plainMail = (lines: string[], body: string) => Buffer.from([...lines, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n'));

const done = (client: Client, id: string) => waitForEmail(client, id, 120_000, (s) => isSettled(s) && s.workflowStatus !== 'RUNNING');

/** Senders of the recorder's own parsing and routing rules, apart from anything else on the stack. */
const MONITORING_DOMAIN = 'monitoring.recorded.example';
const NEWSLETTER_DOMAIN = 'newsletter.recorded.example';
const PARSING_RULE_ID = 'history-record-nagios';
const ROUTING_RULE_ID = 'history-record-ignore-newsletters';
const PASS: SesVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };

export async function recordHistories(deployment: Deployment, dir: string, log: (line: string) => void = console.log, options: RecordOptions = {}): Promise<void> {
  const client = await deployment.temporal();
  const { aws, config, pool } = deployment;
  const prefix = options.prefix ?? '';
  const saved = new Set<string>();
  const save = async (name: RecordedScenario, workflowId: string, runId?: string) => {
    const file = join(dir, `${prefix}${name}.json`);
    const handle = client.workflow.getHandle(workflowId, runId);
    const events = await exportHistory(client, workflowId, file, runId);
    saved.add(name);
    log(`${prefix}${name}: ${events} events (${(await handle.describe()).status.name.toLowerCase()})`);
  };
  /** A scenario is saved only when its email took the path it is named after. */
  const expectPath = (name: string, status: EmailStatusView, stage: string, reason?: RegExp) => {
    if (status.stage !== stage || (reason && !reason.test(status.reason ?? ''))) {
      throw new Error(`${name}: expected stage ${stage}${reason ? ` with a reason matching ${reason}` : ''}, got ${status.stage} (${status.reason})`);
    }
  };
  /** Starts an email's workflow as the bridge does (for what SES cannot be made to send: a missing object, a short retention). */
  const startDirectly = async (sesMessageId: string, sender: string, verdicts: SesVerdicts, quarantineRetentionMs?: number) => {
    const notice = { sesMessageId, bucket: config.inbound.bucket, key: config.inbound.prefix + sesMessageId, verdicts };
    const settings = { taskQueue: config.temporal.taskQueue, searchSender: searchSenderSetting(config), quarantineRetentionMs };
    if ((await startInboundEmail(client, settings, { notice, senderAtStart: sender })) !== 'started') throw new Error(`${sesMessageId}: already started`);
  };

  // The recorder's own rules (a monitoring sender, a newsletter to ignore), written first: workers read the
  // rule tables again only every RULE_REFRESH_SECONDS, so they are in use by the time those scenarios run.
  const nagios = DEFAULT_PARSING_RULES.find((r) => r.ruleId === 'nagios')!;
  await aws.dynamo.send(new PutCommand({ TableName: config.parsingRuleTable, Item: { ...nagios, ruleId: PARSING_RULE_ID, match: { ...nagios.match, senderContains: `@${MONITORING_DOMAIN}` } } }));
  await aws.dynamo.send(
    new PutCommand({
      TableName: config.routingRuleTable,
      Item: { ruleId: ROUTING_RULE_ID, position: 1, enabled: true, conditions: [{ field: 'sender', operator: 'ends_with', value: `@${NEWSLETTER_DOMAIN}` }], ignore: true },
    }),
  );
  const rulesWrittenAt = Date.now();

  try {
    // A new ticket: incident and confirmation.
    const first = newSesMessageId();
    await ingestEmail(aws, config, fixture('plain-text.eml', first), { messageId: first });
    const created = await done(client, first);
    expectPath('new-ticket', created, 'confirmed');
    await save('new-ticket', inboundEmailWorkflowId(first));

    // The same email delivered twice: one workflow, one incident.
    const twice = newSesMessageId();
    await ingestEmail(aws, config, fixture('html-only.eml', twice), { messageId: twice });
    await ingestEmail(aws, config, fixture('html-only.eml', twice), { messageId: twice });
    await done(client, twice);
    await save('duplicate-delivery', inboundEmailWorkflowId(twice));

    // Quarantine, then release by an admin.
    const spam = newSesMessageId();
    await ingestEmail(aws, config, fixture('multipart-attachment.eml', spam), { messageId: spam, verdicts: { spam: 'FAIL' } });
    await waitForEmail(client, spam, 60_000);
    await releaseQuarantined(client, pool, spam);
    expectPath('quarantine-release', await done(client, spam), 'confirmed');
    await save('quarantine-release', inboundEmailWorkflowId(spam));

    // Send to Customer, and the reporter's reply to it.
    const number = created.incidentNumber!;
    const comment = await addAgentComment(client, pool, config.temporal.taskQueue, { incidentNumber: number, body: 'Is it working again?', author: 'Recorder', sendToCustomer: true });
    await waitForComment(pool, comment, true, 60_000);
    const reply = newSesMessageId();
    const replyMail = [
      'From: "Berg, Anna" <anna.berg@example.com>',
      `To: ${config.ticketAddress}`,
      `Subject: Re: [${number}] Printer`,
      `Message-ID: <${reply}@recorded.example>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Yes, thank you!',
      '',
      '> Is it working again?',
    ].join('\r\n');
    await ingestEmail(aws, config, Buffer.from(replyMail), { messageId: reply });
    expectPath('reply-threaded', await done(client, reply), 'threaded-as-reply');
    await save('reply-threaded', inboundEmailWorkflowId(reply));

    // The same reporter's name from a domain without DMARC, with SPF passing for another domain only:
    // kept on the thread as unverified, moving nothing.
    const unverified = newSesMessageId();
    await ingestEmail(aws, config, Buffer.from(replyMail.replace(`<${reply}@`, `<${unverified}@`)), {
      messageId: unverified,
      verdicts: { dmarc: 'GRAY' },
      mailFrom: 'bounce@unaligned.recorded.test',
      dkimDomain: 'unaligned.recorded.test',
    });
    expectPath('reply-unverified', await done(client, unverified), 'threaded-as-reply', /unverified: no DMARC policy/);
    await save('reply-unverified', inboundEmailWorkflowId(unverified));

    // A new email from a forged sender (DMARC FAIL): an incident, but nothing mailed back.
    const forged = newSesMessageId();
    await ingestEmail(aws, config, fixture('plain-text.eml', forged), { messageId: forged, verdicts: { dmarc: 'FAIL' } });
    expectPath('unauthenticated-no-confirmation', await done(client, forged), 'incident-created', /^no confirmation: sender not authenticated \(DMARC fail\)$/);
    await save('unauthenticated-no-confirmation', inboundEmailWorkflowId(forged));
    await save('thread-agent-comment-and-reply', incidentThreadWorkflowId(number));

    // The incident's SLA clock: answered (first response met), the agent waits for the customer (paused),
    // the customer's answer resumes it, closing ends it. Then a re-plan of every open clock.
    const slaEvent = async (event: string) => {
      for (let i = 0; i < 120; i++, await sleep(500)) if ((await incidentSla(pool, number))?.events.some((e) => e.event === event)) return;
      throw new Error(`sla-clock-paused-and-closed: no "${event}" event on ${number}`);
    };
    const waiting = await addAgentComment(client, pool, config.temporal.taskQueue, { incidentNumber: number, body: 'Which model is it?', author: 'Recorder', sendToCustomer: true, awaitingCustomer: true });
    await waitForComment(pool, waiting, true, 60_000);
    await slaEvent('paused');
    const answer = newSesMessageId();
    await ingestEmail(aws, config, Buffer.from(replyMail.replace(`<${reply}@`, `<${answer}@`).replace('Yes, thank you!', 'An M507.')), { messageId: answer });
    await done(client, answer);
    await slaEvent('resumed');
    await closeIncident(client, pool, config.temporal.taskQueue, number);
    await client.workflow.getHandle(incidentSlaWorkflowId(number)).result();
    await save('sla-clock-paused-and-closed', incidentSlaWorkflowId(number));
    const replanId = `${slaReplanWorkflowId(config.sla.fingerprint)}-recorded-${Date.now()}`;
    await startSlaReplan(client, config.temporal.taskQueue, config.sla, replanId);
    await client.workflow.getHandle(replanId).result();
    await save('sla-replan', replanId);

    // A retry after a failure: PostgreSQL down for a few seconds while an email is processed.
    const settings = stackSettings();
    const retried = newSesMessageId();
    stopPostgres(settings.dir);
    try {
      await ingestEmail(aws, config, fixture('latin1.eml', retried), { messageId: retried });
      await waitForEmail(client, retried, 60_000, (s) => (s.pendingActivity?.attempt ?? 0) >= 2);
    } finally {
      await startPostgres(settings.dir, settings.ports.postgres);
    }
    await done(client, retried);
    await save('retry-after-failure', inboundEmailWorkflowId(retried));

    // A long thread continues as new: the first run's history ends with ContinueAsNew.
    const long = incidentThreadWorkflowId(number);
    const before = (await client.workflow.getHandle(long).describe()).runId;
    for (let i = 0; i < 520; i++) {
      await addAgentComment(client, pool, config.temporal.taskQueue, { incidentNumber: number, body: `Internal note ${i}`, author: 'Recorder', sendToCustomer: false });
    }
    let continued = before;
    for (let i = 0; i < 600 && continued === before; i++) {
      await new Promise((r) => setTimeout(r, 250));
      continued = (await client.workflow.getHandle(long).describe()).runId;
    }
    if (continued === before) throw new Error('the thread did not continue as new');
    await save('thread-continued-as-new', long, before);

    // Quarantine, then discarded by an admin.
    const discarded = newSesMessageId();
    await ingestEmail(aws, config, fixture('html-only.eml', discarded), { messageId: discarded, verdicts: { spam: 'FAIL', dmarc: 'FAIL' } });
    expectPath('quarantine-discard', await waitForEmail(client, discarded, 60_000), 'quarantined');
    await discardQuarantined(client, discarded, 'junk, recorded');
    expectPath('quarantine-discard', await done(client, discarded), 'discarded', /^junk, recorded$/);
    await save('quarantine-discard', inboundEmailWorkflowId(discarded));

    // Quarantine that nobody decides on within its retention (started with 3 s instead of 30 days).
    const expired = newSesMessageId();
    await aws.s3.send(new PutObjectCommand({ Bucket: config.inbound.bucket, Key: config.inbound.prefix + expired, Body: fixture('plain-text.eml', expired) }));
    await startDirectly(expired, 'anna.berg@example.com', { ...PASS, spam: 'FAIL' }, 3000);
    expectPath('quarantine-retention-expired', await done(client, expired), 'discarded', /^quarantine retention expired$/);
    await save('quarantine-retention-expired', inboundEmailWorkflowId(expired));

    // A notification naming a raw email that is not in S3: failed, with the reason.
    const missing = newSesMessageId();
    await startDirectly(missing, 'anna.berg@example.com', PASS);
    expectPath('failed-raw-email-missing', await done(client, missing), 'failed');
    await save('failed-raw-email-missing', inboundEmailWorkflowId(missing));

    // An email stored whose notification never came: the reconciliation starts it (the fixture is the
    // reconciliation's history; the email's own is a new ticket's).
    const lost = newSesMessageId();
    await ingestEmail(aws, config, fixture('plain-text.eml', lost), { messageId: lost, notify: false });
    const reconciled = await reconcileNow(client, config.temporal.taskQueue, { windowMs: 10 * 60_000, graceMs: 0 });
    if (!reconciled.startedIds.includes(lost)) throw new Error(`reconciliation-started-lost-email: ${lost} was not started (${reconciled.started} started)`);
    expectPath('reconciliation-started-lost-email', await done(client, lost), 'confirmed');
    await save('reconciliation-started-lost-email', reconciled.workflowId);

    // A confirmation that bounces (SES's mailbox simulator, answered by the stack's stand-in for SES's
    // events): the bounce's delivery-feedback workflow records it and suppresses the address.
    const bouncingAddress = 'bounce@simulator.amazonses.com';
    await liftSuppression(pool, bouncingAddress);
    const bouncing = newSesMessageId();
    const bouncingMail = Buffer.from(fixture('plain-text.eml', bouncing).toString('latin1').replace(/^From:.*$/im, `From: Bounce Test <${bouncingAddress}>`), 'latin1');
    await ingestEmail(aws, config, bouncingMail, { messageId: bouncing });
    const bounced = await done(client, bouncing);
    expectPath('delivery-feedback-bounce', bounced, 'confirmed');
    let bounce: { sesMessageId: string; key: string } | undefined;
    for (let i = 0; i < 120 && !bounce; i++) {
      [bounce] = await deliveryEventKeys(pool, bounced.incidentNumber!, 'bounce');
      if (!bounce) await sleep(500);
    }
    if (!bounce) throw new Error('delivery-feedback-bounce: no bounce came back (is the stack\'s ses-events emitter running?)');
    const bounceWorkflowId = deliveryEventWorkflowId(bounce.sesMessageId, bounce.key);
    const feedback = await client.workflow.getHandle(bounceWorkflowId).result();
    if (feedback.suppressed !== 1) throw new Error(`delivery-feedback-bounce: expected the address suppressed, got ${JSON.stringify(feedback)}`);
    await save('delivery-feedback-bounce', bounceWorkflowId);
    await liftSuppression(pool, bouncingAddress);

    // More MIME parts than the parser takes: quarantined; a release cannot make it parseable (failed).
    const unparseable = newSesMessageId();
    const parts = Array.from({ length: 1200 }, (_, i) => `--b\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`).join('');
    await ingestEmail(
      aws,
      config,
      Buffer.from([`From: parts@recorded.example`, `To: ${config.ticketAddress}`, 'Subject: many parts', `Message-ID: <${unparseable}@recorded.example>`, 'Content-Type: multipart/mixed; boundary="b"', '', `${parts}--b--`, ''].join('\r\n')),
      { messageId: unparseable },
    );
    expectPath('unparseable-quarantined-release', await waitForEmail(client, unparseable, 60_000), 'quarantined', /^UnparseableEmail: /);
    await releaseQuarantined(client, pool, unparseable);
    expectPath('unparseable-quarantined-release', await done(client, unparseable), 'failed', /^UnparseableEmail: /);
    await save('unparseable-quarantined-release', inboundEmailWorkflowId(unparseable));

    // Above MAX_RAW_EMAIL_BYTES: quarantined without being read, then discarded.
    const large = newSesMessageId();
    await ingestEmail(aws, config, plainMail(['From: big@recorded.example', `To: ${config.ticketAddress}`, 'Subject: too big', `Message-ID: <${large}@recorded.example>`], 'x'.repeat(config.maxRawEmailBytes + 1024)), {
      messageId: large,
    });
    expectPath('too-large-quarantined-discard', await waitForEmail(client, large, 120_000), 'quarantined', /^EmailTooLarge: /);
    await discardQuarantined(client, large);
    expectPath('too-large-quarantined-discard', await done(client, large), 'discarded');
    await save('too-large-quarantined-discard', inboundEmailWorkflowId(large));

    // Scenarios that need the recorder's rules in use: wait out the workers' rule cache if need be.
    const ruleCache = config.ruleRefreshMs + 1000 - (Date.now() - rulesWrittenAt);
    if (config.ruleRefreshMs > 0 && ruleCache > 0) {
      log(`waiting ${Math.ceil(ruleCache / 1000)} s for the workers to read the recorder's rules`);
      await new Promise((r) => setTimeout(r, ruleCache));
    }

    // A routing rule says ignore: no incident.
    const ignored = newSesMessageId();
    await ingestEmail(aws, config, plainMail([`From: News <news@${NEWSLETTER_DOMAIN}>`, `To: ${config.ticketAddress}`, 'Subject: Our offers', `Message-ID: <${ignored}@recorded.example>`], 'Buy now.'), {
      messageId: ignored,
    });
    expectPath('routing-ignored', await done(client, ignored), 'ignored', new RegExp(`^ignored by routing rule ${ROUTING_RULE_ID}$`));
    await save('routing-ignored', inboundEmailWorkflowId(ignored));

    // An auto-reply: no incident, never answered.
    const autoReply = newSesMessageId();
    await ingestEmail(aws, config, fixture('out-of-office.eml', autoReply), { messageId: autoReply });
    expectPath('auto-reply-ignored', await done(client, autoReply), 'ignored', /^auto-reply: /);
    await save('auto-reply-ignored', inboundEmailWorkflowId(autoReply));

    // List mail: an incident without a confirmation.
    const bulk = newSesMessageId();
    await ingestEmail(aws, config, fixture('mailing-list.eml', bulk), { messageId: bulk });
    expectPath('bulk-no-confirmation', await done(client, bulk), 'incident-created', /^bulk mail: no confirmation sent$/);
    await save('bulk-no-confirmation', inboundEmailWorkflowId(bulk));

    // A stranger answering the first incident: an incident of their own, the refusal recorded.
    const stranger = newSesMessageId();
    await ingestEmail(
      aws,
      config,
      plainMail([`From: Mallory <mallory@elsewhere.example>`, `To: ${config.ticketAddress}`, `Subject: Re: [${number}] Printer`, `Message-ID: <${stranger}@recorded.example>`], 'Let me in.'),
      { messageId: stranger },
    );
    expectPath('reply-refused-new-incident', await done(client, stranger), 'confirmed', /^not added to /);
    await save('reply-refused-new-incident', inboundEmailWorkflowId(stranger));

    // SES refuses to send (our address is, for a moment, no verified identity, as after a misconfiguration):
    // the incident stays without confirmation, and the agent's comment is recorded as not sent.
    // Only those setup verified (the domain; older stacks also the address): deleting a missing one fails.
    const { Identities = [] } = await aws.ses.send(new ListIdentitiesCommand({}));
    const ours = [config.ticketAddress, config.ticketAddress.split('@')[1]].filter((identity) => Identities.includes(identity));
    for (const identity of ours) await aws.ses.send(new DeleteIdentityCommand({ Identity: identity }));
    try {
      const refused = newSesMessageId();
      await ingestEmail(aws, config, plainMail([`From: Bruno <bruno@refused.recorded.example>`, `To: ${config.ticketAddress}`, 'Subject: Cannot log in', `Message-ID: <${refused}@recorded.example>`], 'Help.'), {
        messageId: refused,
      });
      const refusedStatus = await done(client, refused);
      expectPath('confirmation-refused', refusedStatus, 'incident-created', /^no confirmation: SES refused the email/);
      await save('confirmation-refused', inboundEmailWorkflowId(refused));
      // "Send to Customer" to the same address: the comment is stored and recorded as not sent.
      const notSent = await addAgentComment(client, pool, config.temporal.taskQueue, { incidentNumber: refusedStatus.incidentNumber!, body: 'Try again?', author: 'Recorder', sendToCustomer: true });
      const failure = await waitForComment(pool, notSent, true, 60_000).then(
        () => null,
        (err: Error) => err.message,
      );
      if (!failure?.includes('was stored but not sent: SES refused the email')) throw new Error(`thread-comment-not-sent: expected the comment refused, got ${failure ?? 'sent'}`);
      await save('thread-comment-not-sent', incidentThreadWorkflowId(refusedStatus.incidentNumber!));
    } finally {
      for (const identity of ours) {
        if (identity.includes('@')) await aws.ses.send(new VerifyEmailIdentityCommand({ EmailAddress: identity }));
        else await aws.ses.send(new VerifyDomainIdentityCommand({ Domain: identity }));
      }
    }

    // Mail from our own address: the incident, but never a confirmation to ourselves.
    const self = newSesMessageId();
    await ingestEmail(aws, config, plainMail([`From: Support <${config.ticketAddress}>`, `To: ${config.ticketAddress}`, 'Subject: Loop?', `Message-ID: <${self}@recorded.example>`], 'Hello me.'), {
      messageId: self,
    });
    expectPath('own-address-no-confirmation', await done(client, self), 'incident-created', /^no confirmation: recipient is our own address$/);
    await save('own-address-no-confirmation', inboundEmailWorkflowId(self));

    // Monitoring alerts, each handed by its email to the workflow of its host/service (the key), which
    // opens the incident once the open delay passes, adds the next alert, resolves on the recovery (ending
    // the incident's thread) and reopens it on a problem within the reopen window.
    const { openDelayMs, flapThreshold, stormKeys } = config.alerts;
    if (openDelayMs > 5 * 60_000) throw new Error(`ALERT_OPEN_DELAY_SECONDS is ${openDelayMs / 1000}: record with at most 300 (the recorder waits it out for each incident)`);
    const alertMail = (kind: 'problem' | 'recovery', id: string, forHost: string, at?: Date) => {
      let text = readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', `nagios-${kind}.eml`))
        .toString('latin1')
        .replace(/web01\.example\.internal/g, forHost)
        .replace(/@monitoring\.example/g, `@${MONITORING_DOMAIN}`)
        .replace(/^Message-ID:.*$/im, `Message-ID: <${id}@recorded.example>`);
      if (at) text = text.replace(/^Date:.*$/im, `Date: ${at.toUTCString()}`).replace(/^Date\/Time:.*$/im, `Date/Time: ${at.toISOString()}`);
      return Buffer.from(text, 'latin1');
    };
    const keyOf = (forHost: string) => `${forHost}/http`;
    const keyWorkflow = (forHost: string) => alertKeyWorkflowId(alertKeyHash(config.customerData.hashKey, keyOf(forHost)));
    /** Delivers one alert and waits for its email to hand it over; returns its SES message id. */
    const sendAlert = async (kind: 'problem' | 'recovery', forHost: string, at?: Date) => {
      const id = newSesMessageId();
      await ingestEmail(aws, config, alertMail(kind, id, forHost, at), { messageId: id });
      expectPath(`alert ${kind}`, await done(client, id), 'alert-forwarded', new RegExp(`^${kind} handed to the workflow of `));
      return id;
    };
    const keyState = (forHost: string) => client.workflow.getHandle(keyWorkflow(forHost)).query(alertKeyQuery);
    /** Waits (the open delay, and the key's own work) until the key's state says so. */
    const keyReaches = async (forHost: string, what: string, ready: (view: Awaited<ReturnType<typeof keyState>>) => boolean) => {
      for (let waited = 0; waited < openDelayMs + 60_000; waited += 500, await sleep(500)) if (ready(await keyState(forHost))) return keyState(forHost);
      throw new Error(`the alert key of ${forHost} never reached: ${what}`);
    };
    const host = `web-${newSesMessageId().slice(0, 8)}.recorded.internal`;
    const problem = await sendAlert('problem', host);
    await save('alert-problem-forwarded', inboundEmailWorkflowId(problem));
    const opened = await keyReaches(host, 'an open incident', (v) => v.incident !== null);
    const alertIncident = opened.incident!;
    await sendAlert('problem', host);
    const recovery = await sendAlert('recovery', host);
    await save('alert-recovery-forwarded', inboundEmailWorkflowId(recovery));
    const alertThread = client.workflow.getHandle(incidentThreadWorkflowId(alertIncident));
    await alertThread.result(); // the recovery resolved the incident: its thread ends
    await save('thread-alerts-and-recovery', incidentThreadWorkflowId(alertIncident));
    await sendAlert('problem', host);
    await keyReaches(host, `${alertIncident} reopened`, (v) => v.incident === alertIncident);
    await sendAlert('recovery', host);
    await keyReaches(host, `${alertIncident} resolved again`, (v) => v.incident === null && v.reopenableUntil !== null);
    await save('alert-key-opened-resolved-reopened', keyWorkflow(host));

    // A recovery that overtook its problem (an earlier Date): the problem is stale and opens nothing.
    const late = `late-${newSesMessageId().slice(0, 8)}.recorded.internal`;
    await sendAlert('recovery', late, new Date(Date.now() - 30_000));
    await sendAlert('problem', late, new Date(Date.now() - 60_000));
    await keyReaches(late, 'the stale problem recorded', (v) => v.recent.some((r) => r.what.startsWith('stale problem')));
    await save('alert-key-recovery-before-problem', keyWorkflow(late));

    // A problem recovered within the open delay: nothing opens.
    const blip = `blip-${newSesMessageId().slice(0, 8)}.recorded.internal`;
    await sendAlert('problem', blip);
    await sendAlert('recovery', blip);
    await keyReaches(blip, 'the problem debounced', (v) => v.recent.some((r) => r.what.startsWith('recovery within the open delay')));
    await save('alert-key-debounced', keyWorkflow(blip));

    // A flapping service: up and down until the threshold; one incident opens at once and stays open.
    const flappy = `flap-${newSesMessageId().slice(0, 8)}.recorded.internal`;
    for (let change = 0; change < flapThreshold + 1; change++) await sendAlert(change % 2 ? 'recovery' : 'problem', flappy);
    await keyReaches(flappy, 'flapping with an incident open', (v) => v.flapping && v.incident !== null && v.pending === 0);
    await save('alert-key-flapping', keyWorkflow(flappy));

    // A storm: as many hosts as ALERT_STORM_KEYS opening at once get one parent incident.
    const stormHosts = Array.from({ length: stormKeys }, (_, i) => `storm${i}-${newSesMessageId().slice(0, 8)}.recorded.internal`);
    for (const stormHost of stormHosts) await sendAlert('problem', stormHost);
    const storm = client.workflow.getHandle(ALERT_STORM_WORKFLOW_ID);
    for (let waited = 0; !(await storm.query(alertStormQuery).catch(() => null))?.storm?.parent; waited += 500, await sleep(500)) {
      if (waited > openDelayMs + 60_000) throw new Error('no alert storm was raised');
    }
    await save('alert-storm', ALERT_STORM_WORKFLOW_ID);
  } finally {
    await aws.dynamo.send(new DeleteCommand({ TableName: config.parsingRuleTable, Key: { ruleId: PARSING_RULE_ID } }));
    await aws.dynamo.send(new DeleteCommand({ TableName: config.routingRuleTable, Key: { ruleId: ROUTING_RULE_ID } }));
  }
  const missingScenarios = RECORDED_SCENARIOS.filter((name) => !saved.has(name));
  if (missingScenarios.length > 0) throw new Error(`scenarios not recorded: ${missingScenarios.join(', ')}`);
}
