#!/usr/bin/env node
// email-to-ticket: the operator's commands. Every `--json` output is a contract that scripts rely on.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { Connection } from '@temporalio/client';
import { Command, InvalidArgumentError, Option } from 'commander';
import { createAwsClients } from './aws/clients';
import { provisionAws } from './aws/provision';
import { emailStatus, EmailStatusView, waitForEmail } from './operations/email-status';
import { emailsFromSender, senderTerm } from './operations/emails-by-sender';
import { exportHistory } from './cli/history';
import { findStuckEmails, parseDuration } from './cli/stuck';
import { recordHistories } from './cli/record-histories';
import { DeadLetter, listDeadLetters, redriveDeadLetters } from './operations/dead-letters';
import { ingestEmail } from './operations/ingest-email';
import { readOutbox } from './operations/outbox';
import { Deployment } from './operations/deployment';
import { printJson } from './cli/json-output';
import { formatSetupReport } from './cli/setup-report';
import { runDemo } from './cli/demo';
import { runBench } from './bench';
import { addAgentComment, closeIncident, threadView, waitForComment } from './operations/incident-thread';
import { emailLines, incidentEmails } from './operations/incident-emails';
import { addIncidentParticipant, incidentParticipants, removeIncidentParticipant } from './operations/participants';
import { startSlaReplan } from './operations/sla-replan';
import { recordSlaPolicy } from './db/sla';
import { slaReplanWorkflowId } from './domain/workflow-ids';
import { discardQuarantined, releaseQuarantined } from './operations/quarantine';
import { registerSearchAttributes } from './operations/search-attributes';
import { ensureReconciliationSchedule, reconcileNow } from './operations/reconciliation';
import { openRunsByVersion } from './operations/workflow-versions';
import { ConfigError } from './config';
import { migrate } from './db/migrate';
import { addToAllowlist, listAllowlist, removeFromAllowlist } from './db/directory';
import { getIncident, listIncidents } from './db/incidents';
import { listInboundEmails } from './db/inbound-emails';
import { DEFAULT_PARSING_RULES } from './domain/parsing-rules';
import { EMAIL_SEARCH_ATTRIBUTES } from './domain/search-attributes';
import { parseVerdict } from './domain/spam-decision';
import { VERDICT_NAMES, VERDICT_STATUSES } from './domain/types';
import { runParserConformance } from './mail/conformance';
import { parseEmail } from './mail/parse-email';
import { runQuoteConformance } from './mail/quote-conformance';
import { bounceCorpusSummary, kindSummary, runBounceCorpus, runKindConformance } from './mail/kind-conformance';
import { fetchBounceCorpus, FLUFL_BOUNCE } from './mail/bounce-corpus';
import { stackDown, stackStatus, stackUp } from './stack/local-stack';
import { describeEvent, describeRecipient, withIncidentMail } from './operations/outbound-mail-view';
import { describeExternalNumber } from './domain/external-ticket-numbers';
import { slaLines, withIncidentSla } from './operations/sla-view';
import { liftSuppression, listSuppressed } from './db/delivery-events';

const deployment = new Deployment();
const program = new Command('email-to-ticket').description('Inbound support email -> helpdesk incidents, on Temporal');

const verdictOption = (name: string) => new Option(`--${name} <verdict>`, `SES ${name} verdict`).choices(VERDICT_STATUSES).default('PASS');

program
  .command('parse')
  .argument('<file>', 'a raw email (.eml)')
  .option('--json', 'print JSON')
  .description('parse an email offline, as the workflow would (no services needed)')
  .action(async (file: string, opts: { json?: boolean }) => {
    const { parsed } = await parseEmail(readFileSync(file));
    if (opts.json) return printJson(parsed);
    console.log(`From:              ${parsed.from?.name ?? ''} <${parsed.from?.address ?? ''}>`);
    console.log(`Short description: ${parsed.shortDescription}`);
    console.log(`Kind:              ${parsed.kind}`);
    console.log(`Attachments:       ${parsed.attachments.map((a) => a.filename).join(', ') || 'none'}`);
    console.log(`\n${parsed.description}`);
  });

const ingest = program
  .command('ingest')
  .argument('<file>', 'a raw email (.eml)')
  .option('--message-id <id>', 'SES message id (default: a new one)');
for (const name of VERDICT_NAMES) ingest.addOption(verdictOption(name));
ingest
  .addOption(new Option('--action <type>', "receipt rule action: S3 (S3Action + TopicArn) or SNS (the seed's SNSAction)").choices(['S3', 'SNS']).default('S3'))
  .option('--mail-from <address>', 'the envelope sender SPF is checked for (default: the From address); another domain forges an unaligned SPF pass')
  .option('--dkim-domain <domain>', 'the signing domain of the DKIM signature (default: the From domain); another domain forges an unaligned DKIM pass')
  .option('--recipient <address...>', 'the ticket address(es) SES received it for (default: TICKET_ADDRESS); the sender policy of each applies (SENDER_POLICY_FILE)')
  .option('--no-notification', 'store the email only, its notification lost (what `reconcile` finds)')
  .description('deliver an email exactly as SES would (raw MIME to S3, receipt notification to SNS); prints the SES message id')
  .action(async (file: string, opts: Record<string, string> & { notification: boolean; recipient?: string[] }) => {
    const id = await ingestEmail(deployment.aws, deployment.config, readFileSync(file), {
      messageId: opts.messageId,
      action: opts.action as 'S3' | 'SNS',
      mailFrom: opts.mailFrom,
      dkimDomain: opts.dkimDomain,
      verdicts: Object.fromEntries(VERDICT_NAMES.map((name) => [name, parseVerdict(opts[name])])),
      notify: opts.notification,
      recipients: opts.recipient,
    });
    console.log(id);
  });

function printStatus(id: string, status: EmailStatusView, json?: boolean): void {
  const { stage, incidentNumber, reason, workflowId, workflowStatus, pendingActivity } = status;
  if (json) return printJson({ stage, incidentNumber, reason, workflowId, workflowStatus, pendingActivity, step: status.step ?? null });
  console.log(`${id}: ${stage}${incidentNumber ? ` (${incidentNumber})` : ''}${reason ? ` - ${reason}` : ''}`);
  if (pendingActivity) {
    const { activityType, attempt, state, lastFailure } = pendingActivity;
    console.log(`  now: ${activityType} (${state.toLowerCase()}, attempt ${attempt})${lastFailure ? `; last failure: ${lastFailure}` : ''}`);
  } else if (status.step && workflowStatus === 'RUNNING') {
    console.log(`  now: ${status.step} (local activity: its retries are in the worker's log)`);
  }
}

program
  .command('stuck')
  .option('--older-than <duration>', 'running longer than this (30s, 5m, 2h, 1d)', '5m')
  .option('--sender <address>', "only this sender's emails (EmailSender holds a keyed hash: computed from the address)")
  .option('--json', 'print JSON')
  .description('inbound emails not finished after that long (quarantined ones wait for an admin and are not listed)')
  .action(async (opts: { olderThan: string; sender?: string; json?: boolean }) => {
    const sender = opts.sender ? senderTerm(opts.sender, deployment.config) : undefined;
    const emails = await findStuckEmails(await deployment.temporal(), parseDuration(opts.olderThan), sender);
    if (opts.json) return printJson(emails);
    if (emails.length === 0) return console.log(`No email running longer than ${opts.olderThan}.`);
    for (const e of emails) {
      const p = e.pendingActivity;
      console.log(`${e.sesMessageId}  since ${e.startedAt}  stage ${e.stage ?? '?'}${p ? `  ${p.activityType} attempt ${p.attempt}${p.lastFailure ? `: ${p.lastFailure}` : ''}` : ''}`);
    }
  });

program
  .command('versions')
  .option('--json', 'print JSON')
  .description('open workflow runs by the version of the code they run (retire a version when it has none)')
  .action(async (opts: { json?: boolean }) => {
    const groups = await openRunsByVersion(await deployment.temporal());
    if (opts.json) return printJson(groups);
    if (groups.length === 0) return console.log('No open workflow runs.');
    for (const g of groups) {
      const markers = g.version === '1' ? `  patches: ${g.markers.join(', ') || 'none'}` : '';
      console.log(`${g.workflowType.padEnd(15)} version ${g.version.padEnd(18)} ${String(g.open).padStart(6)} open, oldest started ${g.oldestStart}${markers}`);
    }
  });

program
  .command('status')
  .argument('[id]', 'SES message id')
  .option('--sender <address>', "instead of one email: this sender's emails, newest first (the EmailSender value is computed from the address)")
  .option('--json', 'print JSON')
  .description('where an inbound email is now, or which emails a sender sent')
  .action(async (id: string | undefined, opts: { sender?: string; json?: boolean }) => {
    if (opts.sender) {
      const emails = await emailsFromSender(await deployment.temporal(), deployment.config, opts.sender);
      if (opts.json) return printJson(emails);
      console.log(`Temporal query: ${senderTerm(opts.sender, deployment.config)}`);
      if (emails.length === 0) return console.log(`No email from ${opts.sender}.`);
      for (const e of emails) console.log(`${e.sesMessageId}  ${e.startedAt}  ${e.workflowStatus.toLowerCase()}  ${e.stage ?? '?'}${e.incidentNumber ? `  ${e.incidentNumber}` : ''}`);
      return;
    }
    if (!id) throw new Error('Name an SES message id, or --sender ADDRESS');
    printStatus(id, await emailStatus(await deployment.temporal(), id), opts.json);
  });

program
  .command('wait')
  .argument('<id>', 'SES message id')
  .option('--json', 'print JSON')
  .option('--timeout <seconds>', 'give up after this long', '60')
  .description('wait until the email has finished or is quarantined')
  .action(async (id: string, opts: { json?: boolean; timeout: string }) => {
    printStatus(id, await waitForEmail(await deployment.temporal(), id, Number(opts.timeout) * 1000), opts.json);
  });

const incident = program.command('incident').description('incidents');
incident
  .command('list')
  .option('--json', 'print JSON')
  .action(async (opts: { json?: boolean }) => {
    const incidents = await listIncidents(deployment.pool);
    if (opts.json) return printJson(incidents);
    for (const i of incidents) console.log(`${i.number}  ${i.state}  P${i.priority}  ${i.assignmentGroup ?? '-'}  ${i.sender.address}  ${i.shortDescription}`);
  });
incident
  .command('show')
  .argument('<number>', 'incident number, INC + 7 digits')
  .option('--json', 'print JSON')
  .action(async (number: string, opts: { json?: boolean }) => {
    const incident = await getIncident(deployment.pool, number);
    if (!incident) throw new Error(`No incident ${number}`);
    const found = { ...(await withIncidentSla(deployment.pool, await withIncidentMail(deployment.pool, incident))), ...(await incidentEmails(deployment.pool, deployment.aws, number)) };
    if (opts.json) return printJson(found);
    console.log(`${found.number}: ${found.shortDescription}\nState: ${found.state}  Priority: ${found.priority}  Group: ${found.assignmentGroup ?? '-'}`);
    if (found.followUpOf) console.log(`Follow-up of ${found.followUpOf} (a reply to it after it was closed)`);
    if (found.followUps.length) console.log(`Followed up by ${found.followUps.join(', ')} (replies after it was closed)`);
    const unverifiedSender = found.senderAuthenticated ? '' : ' (unverified sender: nothing is mailed to it)';
    const forwarded = found.forwardedBy ? `\nForwarded by ${found.forwardedBy}` : '';
    console.log(`Reporter: ${found.reporter ? `${found.reporter.name} <${found.reporter.email}>` : `(unknown) ${found.sender.address}`}${unverifiedSender}${forwarded}`);
    if (found.externalNumbers?.length) console.log(`Other helpdesks' numbers: ${found.externalNumbers.map(describeExternalNumber).join(', ')}`);
    console.log(`\n${found.description}`);
    for (const c of found.comments) console.log(`\n--- ${c.createdAt}  ${c.source}${c.unverified ? ' (unverified sender)' : ''}  ${c.author}\n${c.body}`);
    console.log(emailLines(found).join('\n'));
    if (found.outboundMail.length) console.log('\nMail we sent:');
    for (const m of found.outboundMail) {
      console.log(`  ${m.sentAt ?? 'not sent'}  ${m.kind}${m.failure ? ` (${m.failure})` : ''}`);
      for (const r of m.recipients) console.log(`    ${describeRecipient(r, found.suppressedAddresses)}`);
      for (const d of m.events.map(describeEvent)) if (d) console.log(`      ${d}`);
    }
    for (const s of found.suppressedAddresses) console.log(`No automatic mail to ${s.address}: ${s.detail} (since ${s.suppressedAt}; \`email-to-ticket suppression lift ${s.address}\`)`);
    console.log(`\n${slaLines(found.sla, found.slaDueAt).join('\n')}`);
  });

const suppression = program.command('suppression').description('addresses that get no automatic mail (a hard bounce or a complaint came back from SES)');
suppression
  .command('list')
  .option('--json', 'print JSON')
  .action(async (opts: { json?: boolean }) => {
    const all = await listSuppressed(deployment.pool);
    if (opts.json) return printJson(all);
    if (all.length === 0) console.log('no address is suppressed');
    for (const s of all) console.log(`${s.address}  ${s.reason}  since ${s.suppressedAt}  ${s.detail}`);
  });
suppression
  .command('lift')
  .argument('<address>', 'the email address')
  .description('send automatic mail to the address again (the customer fixed their mailbox, or asked for mail)')
  .action(async (address: string) => {
    if (!(await liftSuppression(deployment.pool, address))) throw new Error(`${address} is not suppressed`);
    console.log(`${address}: automatic mail is sent again`);
  });

const sla = program.command('sla').description('SLA clocks (README, SLAs)');
sla
  .command('replan')
  .description('re-plan every open incident\'s SLA clock on the policy this configuration holds (workers do it themselves when they start with a new policy)')
  .action(async () => {
    const { config } = deployment;
    const workflowId = `${slaReplanWorkflowId(config.sla.fingerprint)}-manual-${Date.now()}`;
    await startSlaReplan(await deployment.temporal(), config.temporal.taskQueue, config.sla, workflowId);
    await recordSlaPolicy(deployment.pool, config.sla.fingerprint, config.sla.policy);
    console.log(`re-planning every open clock on SLA policy ${config.sla.fingerprint.slice(0, 12)}: workflow ${workflowId}`);
  });

incident
  .command('comment')
  .argument('<number>', 'incident number')
  .requiredOption('--body <text>', 'the comment')
  .option('--send-to-customer', 'email it to the reporter and the participants')
  .option('--await-customer', "with --send-to-customer: the incident waits for the customer's reply (the SLA clock pauses until it comes)")
  .option('--author <name>', 'who writes it', 'Agent')
  .option('--id <id>', 'an id that makes a retried request harmless (default: a new one)')
  .option('--no-wait', 'return once the thread has the request, without waiting for it to be stored/sent')
  .description('add an agent comment; with --send-to-customer it is emailed, threaded, to the customer')
  .action(async (number: string, opts: { body: string; sendToCustomer?: boolean; awaitCustomer?: boolean; author: string; id?: string; wait: boolean }) => {
    const sendToCustomer = Boolean(opts.sendToCustomer);
    const request = { incidentNumber: number, body: opts.body, author: opts.author, sendToCustomer, awaitingCustomer: Boolean(opts.awaitCustomer), id: opts.id };
    const id = await addAgentComment(await deployment.temporal(), deployment.pool, deployment.config.temporal.taskQueue, request);
    if (opts.wait) await waitForComment(deployment.pool, id, sendToCustomer, 60_000);
    console.log(`comment ${id} ${opts.wait ? (sendToCustomer ? 'added and sent' : 'added') : 'queued'}${request.awaitingCustomer ? ', waiting for the customer' : ''}`);
  });
incident
  .command('participants')
  .argument('<number>', 'incident number')
  .argument('[action]', 'add or remove (without: the list)')
  .argument('[address]', 'the participant\'s address, plain (anna@example.com)')
  .option('--name <name>', 'with add: their name')
  .option('--author <name>', 'who adds or removes them (recorded as "added by <name>")', 'Agent')
  .option('--json', 'print JSON')
  .description('the people who get agent comments in copy and may speak on the thread: list, add ADDRESS [--name N], remove ADDRESS')
  .action(async (number: string, action: string | undefined, address: string | undefined, opts: { name?: string; author: string; json?: boolean }) => {
    const { pool, config } = deployment;
    if (action === undefined) {
      const list = await incidentParticipants(pool, number);
      if (opts.json) return printJson(list);
      if (list.length === 0) console.log(`${number} has no participants`);
      for (const p of list) console.log(`${p.address}${p.name ? ` (${p.name})` : ''}  ${p.addedVia}  ${p.addedAt.toISOString()}`);
      return;
    }
    if (address === undefined) throw new Error(`incident participants ${number} ${action}: which address?`);
    if (action === 'add') {
      const done = await addIncidentParticipant(pool, config.ticketAddress, { incidentNumber: number, address, name: opts.name, agent: opts.author });
      if (opts.json) return printJson(done);
      console.log(done.added ? `${done.address} is now a participant of ${number}` : `${done.address} is already a participant of ${number}`);
    } else if (action === 'remove') {
      const removed = await removeIncidentParticipant(pool, number, address, opts.author);
      if (opts.json) return printJson({ address: removed, removed: true });
      console.log(`${removed} is no longer a participant of ${number}`);
    } else {
      throw new Error(`incident participants: unknown action ${JSON.stringify(action)} (add or remove)`);
    }
  });
incident
  .command('close')
  .argument('<number>', 'incident number')
  .description("close the incident (a later reply from the customer reopens it, or follows the group's follow-up policy: README, Threads)")
  .action(async (number: string) => {
    await closeIncident(await deployment.temporal(), deployment.pool, deployment.config.temporal.taskQueue, number);
    console.log(`closing ${number}`);
  });
incident
  .command('thread')
  .argument('<number>', 'incident number')
  .option('--json', 'print JSON')
  .description("the thread workflow's view: total entries and the newest ones")
  .action(async (number: string, opts: { json?: boolean }) => {
    const view = await threadView(await deployment.temporal(), number);
    if (opts.json) return printJson(view);
    console.log(`${view.incidentNumber}: ${view.total} entries${view.closed ? ' (closed)' : ''}`);
    for (const e of view.recent) console.log(`  ${e.at}  ${e.source.padEnd(5)}  ${e.author}: ${e.excerpt}`);
  });

program
  .command('outbox')
  .option('--to <address>', 'only mail to this address')
  .option('--json', 'print JSON')
  .description('emails sent through SES, as the SES endpoint recorded them')
  .action(async (opts: { to?: string; json?: boolean }) => {
    let mails = await readOutbox(deployment.config.aws.endpoint, deployment.aws, deployment.pool);
    if (opts.to) mails = mails.filter((m) => m.to.some((t) => t.toLowerCase() === opts.to!.toLowerCase()));
    if (opts.json) return printJson(mails);
    for (const m of mails) console.log(`${m.sentAt ?? '-'}  ${m.to.join(', ')}  ${m.subject}`);
  });

// The local stand-in for SES's feedback (README, "The local stand-in for SES events").
const deliveryEvent = program.command('delivery-event').description('local stack only: publish the delivery feedback SES would, for the newest mail sent to an address');
for (const kind of ['bounce', 'complaint'] as const) {
  const command = deliveryEvent
    .command(kind)
    .argument('<address>', 'the recipient')
    .option('--json', 'print the published event record as JSON')
    .description(kind === 'bounce' ? 'a bounce (Permanent/General 5.1.1; --transient: Transient/MailboxFull)' : 'a complaint (abuse)');
  if (kind === 'bounce') command.option('--transient', 'a transient bounce (mailbox full) instead of a permanent one');
  command.action(async (address: string, opts: { transient?: boolean; json?: boolean }) => {
    const { injectDeliveryEvent } = await import('./stack/inject-delivery-event');
    const out = await injectDeliveryEvent(deployment, kind, address, { transient: opts.transient });
    if (opts.json) return printJson(out.event);
    const detail = out.event.eventType === 'Bounce' ? ` (${out.event.bounce.bounceType}/${out.event.bounce.bounceSubType})` : '';
    console.log(`published ${out.event.eventType}${detail} for ${out.outbound.recipient} to ${out.topicArn}`);
    console.log(`  outbound email ${out.outbound.id} (${out.outbound.kind}${out.outbound.incidentNumber ? `, ${out.outbound.incidentNumber}` : ''}), sent ${out.outbound.sentAt}, SES message id ${out.outbound.sesMessageId}; SNS message id ${out.snsMessageId}`);
  });
}

const users = program.command('users').description('the user directory reporters are matched against (USER_DIRECTORY: the users table or the Cognito user pool)');
users
  .command('add')
  .argument('<email>')
  .requiredOption('--name <name>', 'display name')
  .option('--agent', "an agent: may speak on any thread; their forwards make the customer's incident")
  .action(async (email: string, opts: { name: string; agent?: boolean }) => {
    await deployment.directory.add({ email, name: opts.name, role: opts.agent ? 'agent' : 'customer' });
    console.log(`added ${email.toLowerCase()}`);
  });
users.command('list').option('--json', 'print JSON').action(async (opts: { json?: boolean }) => {
  const list = await deployment.directory.list();
  if (opts.json) return printJson(list);
  for (const u of list) console.log(`${u.email}  ${u.name}${u.role === 'agent' ? '  (agent)' : ''}`);
});

const allowlist = program.command('allowlist').description('senders (addresses or domains) that skip the spam threshold');
allowlist.command('add').argument('<entry>').action(async (entry: string) => console.log(`allowlisted ${await addToAllowlist(deployment.pool, entry)}`));
allowlist.command('remove').argument('<entry>').action(async (entry: string) => {
  if (!(await removeFromAllowlist(deployment.pool, entry))) throw new Error(`${entry} is not on the allowlist`);
  console.log(`removed ${entry}`);
});
allowlist.command('list').option('--json', 'print JSON').action(async (opts: { json?: boolean }) => {
  const entries = await listAllowlist(deployment.pool);
  if (opts.json) return printJson(entries);
  for (const e of entries) console.log(e);
});

const quarantine = program.command('quarantine').description('emails kept, not processed, until an admin decides');
quarantine.command('list').option('--json', 'print JSON').action(async (opts: { json?: boolean }) => {
  const emails = await listInboundEmails(deployment.pool, 'quarantined');
  if (opts.json) return printJson(emails);
  for (const e of emails) console.log(`${e.sesMessageId}  ${e.sender ?? '-'}  ${e.subject ?? ''}  (${e.reason})`);
});
quarantine
  .command('release')
  .argument('<id>', 'SES message id')
  .option('--allowlist-sender', 'also add the sender to the allowlist')
  .option('--override', 'release even though SES found a virus')
  .description('process the email down the normal path')
  .action(async (id: string, opts: { allowlistSender?: boolean; override?: boolean }) => {
    for (const line of await releaseQuarantined(await deployment.temporal(), deployment.pool, id, opts)) console.log(line);
  });
quarantine
  .command('discard')
  .argument('<id>', 'SES message id')
  .option('--reason <text>', 'recorded with the email')
  .description('record the email as discarded (the raw email stays in S3)')
  .action(async (id: string, opts: { reason?: string }) => {
    await discardQuarantined(await deployment.temporal(), id, opts.reason);
    console.log(`discarded ${id}`);
  });

const dlq = program.command('dlq').description('the dead-letter queue: what the bridge or SQS moved there, and moving it back');
/** --max: a whole number of messages, at least 1. */
const maxMessages = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number, at least 1');
  return n;
};
const deadLetterQueues = () => ({ queueUrl: deployment.config.inbound.queueUrl, deadLetterQueueUrl: deployment.config.inbound.deadLetterQueueUrl, inbound: deployment.config.inbound });
const printDeadLetters = (letters: DeadLetter[]) => {
  for (const l of letters) console.log(`${l.messageId}  ${l.sentAt ?? '-'}  ${l.sesMessageIds.join(',') || '-'}  (${l.reason})`);
};
dlq
  .command('list')
  .option('--max <n>', 'at most this many', maxMessages, 100)
  .option('--json', 'print JSON')
  .description('what the dead-letter queue holds and why (left in place): message id, when it came, the emails it names, the reason')
  .action(async (opts: { max: number; json?: boolean }) => {
    const letters = await listDeadLetters(deployment.aws.sqs, deadLetterQueues(), opts.max);
    if (opts.json) return printJson(letters);
    printDeadLetters(letters);
    console.log(`${letters.length} listed`);
  });
dlq
  .command('redrive')
  .option('--max <n>', 'move at most this many', maxMessages, 1000)
  .option('--dry-run', 'list what would be moved, move nothing')
  .option('--json', 'print JSON')
  .description('once the cause is fixed: move dead-lettered messages back to the inbound queue (sent there first, deleted from the dead-letter queue after)')
  .action(async (opts: { max: number; dryRun?: boolean; json?: boolean }) => {
    const letters = await (opts.dryRun ? listDeadLetters : redriveDeadLetters)(deployment.aws.sqs, deadLetterQueues(), opts.max);
    if (opts.json) return printJson(letters);
    printDeadLetters(letters);
    console.log(`${letters.length} ${opts.dryRun ? 'would be moved' : 'moved'} back to ${deployment.config.inbound.queueUrl}`);
  });

const history = program.command('history').description('workflow histories for replay tests');
history
  .command('record')
  .argument('[dir]', 'where the fixtures go', join(__dirname, '..', 'test', 'histories'))
  .option('--prefix <prefix>', "put in front of each file name, e.g. v6- for a new workflow version's fixtures", '')
  .description(
    'run the scenarios on the local stack (new ticket, duplicate, quarantine released / discarded / expired, failed, unparseable, too large, routing ignore, automated and bulk mail, replies, confirmation refused or not sent, alerts, thread events, retry after a failure, continue-as-new) and save their histories as <prefix><scenario>.json',
  )
  .action(async (dir: string, opts: { prefix: string }) => recordHistories(deployment, dir, console.log, { prefix: opts.prefix }));
history
  .command('export')
  .argument('<workflowId>')
  .argument('<file>')
  .action(async (workflowId: string, file: string) => {
    console.log(`${await exportHistory(await deployment.temporal(), workflowId, file)} events written to ${file}`);
  });

program
  .command('setup')
  .description(
    'run database migrations, register the search attributes and create the AWS resources against the configured endpoints (idempotent); prints the DNS records to create (README, "Deploying to AWS")',
  )
  .option('--topic <name>', 'SNS topic name (standard: SES publishes only to standard topics)', 'stackflow-inbound-email')
  .option('--queue <name>', 'SQS queue name', 'StackFlow-Events-Ingestion')
  .option('--dead-letter-queue <name>', 'SQS dead-letter queue name', 'StackFlow-Events-Ingestion-DLQ')
  .addOption(new Option('--receipt-rule <shape>', 'safe (S3Action + TopicArn) or seed (S3Action + SNSAction)').choices(['safe', 'seed']).default('safe'))
  .option('--no-receipt-rule', 'create no SES receipt rule (you route mail to the bucket and topic yourself)')
  .option('--rule-set <name>', "the receipt rule set to add the rule to (default: the region's active one; stackflow-inbound when none is)")
  .option('--activate-rule-set', "make that rule set the region's active one: this REPLACES the active rule set, whose rules then stop")
  .option('--skip-search-attributes', 'do not register the search attributes (Temporal Cloud, which has no operator service: add them with tcld or the Cloud UI; README)')
  .option('--json', 'print JSON (the progress lines go to stderr)')
  .action(
    async (opts: {
      topic: string;
      queue: string;
      deadLetterQueue: string;
      receiptRule: 'safe' | 'seed' | false;
      ruleSet?: string;
      activateRuleSet?: boolean;
      skipSearchAttributes?: boolean;
      json?: boolean;
    }) => {
      const c = deployment.config;
      const log = opts.json ? console.error : console.log;
      if (opts.receiptRule === false && (opts.ruleSet || opts.activateRuleSet)) throw new Error('--rule-set and --activate-rule-set need a receipt rule: drop --no-receipt-rule');
      log(`migrations applied: ${(await migrate(deployment.pool)).join(', ') || 'none new'}`);
      if (opts.skipSearchAttributes) {
        log(`search attributes not registered (--skip-search-attributes); the namespace needs: ${EMAIL_SEARCH_ATTRIBUTES.map((a) => `${a.name}=Keyword`).join(', ')}`);
      } else {
        const added = await registerSearchAttributes((await deployment.temporal()).connection as Connection, c.temporal.namespace);
        log(`search attributes registered: ${added.join(', ') || 'none new'}`);
      }
      const out = await provisionAws(createAwsClients(c.aws), {
        region: c.aws.region,
        bucket: c.inbound.bucket,
        prefix: c.inbound.prefix,
        topicName: opts.topic,
        queueName: opts.queue,
        deadLetterQueueName: opts.deadLetterQueue,
        routingRuleTable: c.routingRuleTable,
        parsingRuleTable: c.parsingRuleTable,
        ticketAddress: c.ticketAddress,
        confirmationTemplate: c.confirmationTemplate,
        receiptRule: opts.receiptRule === false ? 'none' : { shape: opts.receiptRule, ruleSet: opts.ruleSet, activate: Boolean(opts.activateRuleSet) },
        maxReceiveCount: c.queueMaxReceiveCount,
        nameLabels: { bucket: 'INBOUND_BUCKET', topicName: '--topic', queueName: '--queue', deadLetterQueueName: '--dead-letter-queue' },
        receiptRuleOptOut: '--no-receipt-rule',
        configurationSet: c.delivery.configurationSet,
      });
      const schedule = await ensureReconciliationSchedule(await deployment.temporal(), c.temporal.taskQueue, c.reconcile);
      log(`reconciliation schedule ${schedule}: every ${c.reconcile.intervalMinutes} min (RECONCILE_INTERVAL_MINUTES)`);
      if (opts.json) return printJson(out);
      console.log(formatSetupReport(out));
    },
  );

program
  .command('reconcile')
  .option('--since <duration>', 'look at emails stored this far back (30m, 2h, 1d; default RECONCILE_WINDOW_HOURS)')
  .option('--grace <duration>', 'leave emails stored this recently to the normal path (0s, 5m; default RECONCILE_GRACE_MINUTES)')
  .option('--json', 'print JSON')
  .description('run the reconciliation now: start every email stored in S3 (in the window) that has neither a workflow nor a recorded outcome')
  .action(async (opts: { since?: string; grace?: string; json?: boolean }) => {
    const c = deployment.config;
    const windowMs = opts.since ? parseDuration(opts.since) : c.reconcile.windowMs;
    const graceMs = opts.grace ? parseDuration(opts.grace) : c.reconcile.graceMs;
    if (windowMs <= 0) throw new InvalidArgumentError(`--since ${opts.since}: a duration above 0`);
    const result = await reconcileNow(await deployment.temporal(), c.temporal.taskQueue, { windowMs, graceMs });
    if (opts.json) return printJson(result);
    console.log(`${result.workflowId}: emails stored from ${result.window.from} to ${result.window.to}`);
    console.log(`  ${result.listed} objects listed, ${result.inWindow} emails in the window, ${result.recorded} with a record, ${result.alreadyStarted} with a workflow only`);
    console.log(`  ${result.started} started (no workflow, no record)${result.startedIds.length ? `: ${result.startedIds.join(', ')}` : ''}`);
  });

const parsingRules = program.command('parsing-rules').description('parsing rules for structured mail (monitoring alerts), in DynamoDB');
parsingRules
  .command('install-defaults')
  .requiredOption('--sender-contains <text>', "your monitoring systems' sender (e.g. @monitoring.example.com): anyone can send an alert-shaped mail")
  .description('install the Nagios, Icinga, Monit and Alertmanager rules, restricted to that sender')
  .action(async (opts: { senderContains: string }) => {
    for (const rule of DEFAULT_PARSING_RULES) {
      const item = { ...rule, match: { ...rule.match, senderContains: opts.senderContains } };
      await deployment.aws.dynamo.send(new PutCommand({ TableName: deployment.config.parsingRuleTable, Item: item }));
      console.log(`installed ${rule.ruleId} (${rule.name})`);
    }
  });

const stack = program.command('stack').description('the local stack: Temporal dev server, AWS emulator, PostgreSQL, worker, bridge');
stack
  .command('up')
  .description('start everything in the background; returns once every part is ready')
  .option('--temporal-server', 'run a real Temporal server on PostgreSQL with TLS instead of the dev server (as STACK_TEMPORAL=server; built once, see README)')
  .action(async (opts: { temporalServer?: boolean }) => {
  if (opts.temporalServer) process.env.STACK_TEMPORAL = 'server';
  const info = await stackUp();
  console.log(`\nThe stack is up.\n  Temporal Web UI: ${info.temporalUi ?? `none (a real Temporal server at ${info.env.TEMPORAL_ADDRESS}, TLS)`}\n  Admin page:      ${info.adminUrl}  (user ${info.env.ADMIN_USER}, password ${info.env.ADMIN_PASSWORD})\n  Configuration:   ${info.envFile}`);
});
stack.command('down').description('stop what `stack up` started').action(() => stackDown());
stack
  .command('status')
  .option('--json', 'print JSON')
  .action(async (opts: { json?: boolean }) => {
    const parts = await stackStatus();
    if (opts.json) return printJson(parts);
    for (const p of parts) console.log(`${p.running ? 'up  ' : 'down'}  ${p.name.padEnd(10)} ${p.address}`);
  });

program
  .command('conformance')
  .argument('[corpora]', 'the folder of external corpora', join(__dirname, '..', '..', 'shared', 'corpora'))
  .option('--json', 'print JSON')
  .option('--bounces <dir...>', 'more folders of bounces to classify (e.g. what fetch-bounce-corpus printed)')
  .description("run the parser, the quote stripper and the automated-mail classification against other projects' test emails (mail-mime-parser, talon, bounces)")
  .action(async (corpora: string, opts: { json?: boolean; bounces?: string[] }) => {
    const parser = await runParserConformance(join(corpora, 'mail-mime-parser'));
    const quotes = await runQuoteConformance(join(corpora, 'talon'));
    const kinds = await runKindConformance(corpora);
    const bounceCorpora = [];
    for (const dir of opts.bounces ?? []) bounceCorpora.push(await runBounceCorpus(dir));
    if (opts.json) return printJson({ parser, quotes, kinds, bounceCorpora });
    console.log(`parser (mail-mime-parser): ${parser.passed}/${parser.total} messages`);
    for (const f of parser.failures) console.log(`  ${f.file} ${f.field}: expected ${JSON.stringify(f.expected)?.slice(0, 80)}, got ${JSON.stringify(f.actual)?.slice(0, 80)}`);
    console.log(`quote stripping (talon): ${quotes.passed}/${quotes.total} fixtures`);
    for (const f of quotes.failures) console.log(`  ${f.file}: expected ${JSON.stringify(f.expected).slice(0, 80)}, got ${JSON.stringify(f.actual).slice(0, 80)}`);
    console.log(`${kindSummary(kinds)} (bounces vs human: mail-mime-parser, talon)`);
    console.log(`  ${kinds.automated.sameKind} of ${kinds.automated.classified} automated with the corpus's own kind (bounce or auto-reply)`);
    for (const m of [...kinds.automated.misses, ...kinds.human.misses]) console.log(`  ${m.file}: expected ${m.expected}, got ${m.actual}`);
    const alertKinds = Object.values(kinds.alerts);
    if (alertKinds.length > 0) console.log(`  monitoring alerts (alerts/derived-eml): ${alertKinds.filter((k) => k === 'human').length} of ${alertKinds.length} human (the parsing rules handle them)`);
    for (const b of bounceCorpora) {
      console.log(`bounces (${b.dir}): ${bounceCorpusSummary(b)}`);
      for (const m of [...b.automated.misses, ...b.human.misses]) console.log(`  ${m.file}: expected ${m.expected}, got ${m.actual}`);
    }
  });

program
  .command('fetch-bounce-corpus')
  .argument('[cache]', 'the folder to download and unpack into', join('.cache', 'corpora'))
  .option('--python <interpreter>', 'the Python whose pip downloads the source distribution', 'python3')
  .description(`download ${FLUFL_BOUNCE.name} ${FLUFL_BOUNCE.version}'s source distribution (bounces of many mail servers) from PyPI and print the folder for conformance --bounces`)
  .action(async (cache: string, opts: { python: string }) => {
    console.log(await fetchBounceCorpus(cache, FLUFL_BOUNCE, opts.python));
  });

program
  .command('demo')
  .description('start the stack and push the sample emails through it')
  .action(() => runDemo(deployment));

program
  .command('bench')
  .description('benchmark on the local stack: a mix of emails through the durable pipeline and a direct one (throughput, latency, history, billable actions, RSS/CPU)')
  .option('--emails <n>', 'how many emails', (v) => Number(v), 1000)
  .option('--rate <r>', 'emails per second (default: as fast as possible)', (v) => Number(v))
  .option('--json <file>', 'where to write the results as JSON', 'bench-results.json')
  .option('--skip-direct', 'only the durable pipeline')
  .option('--seed <n>', 'seed of the email mix', (v) => Number(v), 42)
  .option('--timeout <minutes>', 'give up waiting for outcomes after this long (per pipeline)', (v) => Number(v), 20)
  .option('--history-sample <n>', 'inbound-email workflows to read the history of', (v) => Number(v), 200)
  .action(async (opts: { emails: number; rate?: number; json: string; skipDirect?: boolean; seed: number; timeout: number; historySample: number }) => {
    await runBench(deployment, { emails: opts.emails, rate: opts.rate, json: opts.json, skipDirect: Boolean(opts.skipDirect), seed: opts.seed, timeoutMinutes: opts.timeout, historySample: opts.historySample });
  });

program
  .command('faults')
  .description('fault-injection run on the local stack: emails delivered while worker, bridge, Temporal, PostgreSQL (stopped, and crashed mid-transaction) and SES fail; then checks that each email became what it must and that no part died by itself')
  .option('--emails <n>', 'how many emails', (v) => Number(v), 1000)
  .option('--rate <r>', 'emails per second', (v) => Number(v), 8)
  .option('--seed <n>', 'seed of the email mix and of the fault schedule', (v) => Number(v), 7)
  .option('--worker-kills <n>', 'how many times the worker is SIGKILLed', (v) => Number(v), 3)
  .option('--outage-seconds <s>', 'how long PostgreSQL is stopped and SES fails (the crash is restarted at once)', (v) => Number(v), 30)
  .option('--timeout <minutes>', 'give up waiting for outcomes after this long', (v) => Number(v), 20)
  .option('--json <file>', 'also write the result as JSON')
  .action(async (opts: { emails: number; rate: number; seed: number; workerKills: number; outageSeconds: number; timeout: number; json?: string }) => {
    const { runFaults, formatChecks } = await import('./faults');
    const result = await runFaults(deployment, { emails: opts.emails, rate: opts.rate, seed: opts.seed, workerKills: opts.workerKills, outageSeconds: opts.outageSeconds, timeoutMinutes: opts.timeout });
    console.log(formatChecks(result));
    if (opts.json) writeFileSync(opts.json, JSON.stringify(result, null, 2) + '\n');
    if (!result.ok) process.exitCode = 1;
  });

program
  .parseAsync(process.argv)
  .catch((err) => {
    console.error(`email-to-ticket: ${err instanceof ConfigError ? err.message : (err as Error).message}`);
    process.exitCode = 1;
  })
  .finally(() => deployment.close());
