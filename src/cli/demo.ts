// `demo`: brings the stack up and pushes the sample emails through the real path
// (S3 + SNS -> SQS -> bridge -> workflow), then shows what became of each.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_PARSING_RULES } from '../domain/parsing-rules';
import { liftSuppression, suppressionOf } from '../db/delivery-events';
import { addToAllowlist } from '../db/directory';
import { getIncident, listIncidents } from '../db/incidents';
import { incidentSla } from '../db/sla';
import { PROJECT_ROOT } from '../stack/settings';
import { stackUp } from '../stack/local-stack';
import { sleep } from '../stack/processes';
import { Deployment } from '../operations/deployment';
import { waitForEmail } from '../operations/email-status';
import { ingestEmail, IngestOptions } from '../operations/ingest-email';
import { readOutbox } from '../operations/outbox';
import { addAgentComment, waitForComment } from '../operations/incident-thread';

const SAMPLES: { file: string; note: string; options?: IngestOptions }[] = [
  { file: 'plain-text.eml', note: 'known user, verified sender' },
  { file: 'html-only.eml', note: 'HTML only; routed to Network by a rule' },
  { file: 'multipart-attachment.eml', note: 'attachments stored in S3' },
  { file: 'latin1.eml', note: 'ISO-8859-1' },
  { file: 'out-of-office.eml', note: 'auto-reply: no incident' },
  { file: 'spoofed-verdicts.eml', note: 'spam FAIL: quarantined', options: { verdicts: { spam: 'FAIL' } } },
  // No DMARC policy, and SPF/DKIM pass only for the forger's own domain: an incident, nothing mailed back.
  { file: 'no-subject.eml', note: 'forged sender: no reply', options: { verdicts: { dmarc: 'GRAY' }, mailFrom: 'x@forger.example', dkimDomain: 'forger.example' } },
];

/** A Nagios alert from an allowlisted monitoring system, then its recovery, through the Nagios parsing rule. */
async function demoMonitoring(deployment: Deployment, client: Awaited<ReturnType<Deployment['temporal']>>): Promise<void> {
  const { config } = deployment;
  console.log('\nMonitoring (Nagios rule, monitoring.example allowlisted):');
  for (const [file, note, options] of [
    ['nagios-problem.eml', 'PROBLEM, spam FAIL but allowlisted', { verdicts: { spam: 'FAIL' } }],
    ['nagios-problem.eml', 'the same alert again', {}],
    ['nagios-recovery.eml', 'RECOVERY', {}],
  ] as const) {
    const raw = readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', file)).toString('latin1').replace(/^Message-ID:.*$/im, `Message-ID: <demo-${Date.now()}@monitoring.example>`);
    const id = await ingestEmail(deployment.aws, config, Buffer.from(raw, 'latin1'), options);
    const status = await waitForEmail(client, id, 60_000, (s) => s.workflowStatus === 'COMPLETED');
    console.log(`  ${note.padEnd(36)} ${status.stage.padEnd(17)} ${(status.incidentNumber ?? '').padEnd(11)} ${status.reason ?? ''}`);
  }
}

/** Send to Customer on the first incident, then the reporter's reply (quoting it) joins the thread. */
async function demoConversation(deployment: Deployment, client: Awaited<ReturnType<Deployment['temporal']>>): Promise<void> {
  const { config } = deployment;
  const [first] = (await listIncidents(deployment.pool)).filter((i) => i.sender.address === 'anna.berg@example.com');
  if (!first) return;
  console.log(`\nA conversation on ${first.number}:`);
  const commentId = await addAgentComment(client, deployment.pool, config.temporal.taskQueue, {
    incidentNumber: first.number,
    body: 'Could you send us a photo of the printer display, please?',
    author: 'Dana (Service Desk)',
    sendToCustomer: true,
    awaitingCustomer: true,
  });
  await waitForComment(deployment.pool, commentId, true, 60_000);
  await showSla(deployment, first.number, 'paused', 'after the comment, waiting for the customer');
  const sent = (await readOutbox(config.aws.endpoint, deployment.aws, deployment.pool)).filter((m) => m.raw?.includes('photo of the printer display')).pop();
  const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(sent?.raw?.replace(/\r?\n[ \t]+/g, ' ') ?? '')?.[1];
  console.log(`  agent comment sent to anna.berg@example.com, Message-ID ${messageId}`);
  const reply = [
    'From: "Berg, Anna" <Anna.Berg@Example.com>',
    `To: ${config.ticketAddress}`,
    `Subject: Re: ${sent?.subject ?? first.number}`,
    `Message-ID: <reply-${Date.now()}@example.com>`,
    ...(messageId ? [`In-Reply-To: ${messageId}`, `References: ${messageId}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Attached is the photo: it says "Paper jam in tray 2" although the tray is empty.',
    '',
    `On ${new Date().toUTCString()}, Support <${config.ticketAddress}> wrote:`,
    '> Could you send us a photo of the printer display, please?',
  ].join('\r\n');
  const id = await ingestEmail(deployment.aws, config, Buffer.from(reply));
  const status = await waitForEmail(client, id, 60_000);
  console.log(`  Anna's reply: ${status.stage} (${status.reason})`);
  for (let i = 0; i < 50; i++) {
    const incident = await getIncident(deployment.pool, first.number);
    if (incident && incident.comments.length >= 2) {
      for (const c of incident.comments) console.log(`    ${c.source.padEnd(5)} ${c.author}: ${c.body}`);
      await showSla(deployment, first.number, 'resumed', "after Anna's reply");
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The incident's SLA clock once it recorded `event`: first response met, the pause, the resolution due time. */
async function showSla(deployment: Deployment, incidentNumber: string, event: string, when: string): Promise<void> {
  for (let i = 0; i < 100; i++, await sleep(200)) {
    const sla = await incidentSla(deployment.pool, incidentNumber);
    if (!sla?.events.some((e) => e.event === event)) continue;
    const due = sla.pausedSince ? `paused since ${sla.pausedSince}` : `resolution due ${sla.resolutionDueAt}`;
    console.log(`  SLA ${when}: first response ${sla.firstResponseDueAt ? `due ${sla.firstResponseDueAt}` : 'met'}, ${due}`);
    return;
  }
}

/** A confirmation to SES's bounce simulator: the Bounce event suppresses the address, so the next email gets none. */
async function demoDeliveryFeedback(deployment: Deployment, client: Awaited<ReturnType<Deployment['temporal']>>): Promise<void> {
  const { config, pool } = deployment;
  const address = 'bounce@simulator.amazonses.com';
  await liftSuppression(pool, address);
  console.log("\nDelivery feedback (SES's events, published by the stack's stand-in for SES):");
  for (const note of ['a confirmation that bounces', 'the same sender again']) {
    const raw = readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'plain-text.eml'))
      .toString('latin1')
      .replace(/^Message-ID:.*$/im, `Message-ID: <demo-${Date.now()}@simulator.example>`)
      .replace(/^From:.*$/im, `From: Bounce Simulator <${address}>`);
    const id = await ingestEmail(deployment.aws, config, Buffer.from(raw, 'latin1'));
    const status = await waitForEmail(client, id, 60_000);
    console.log(`  ${note.padEnd(36)} ${status.stage.padEnd(17)} ${(status.incidentNumber ?? '').padEnd(11)} ${status.reason ?? ''}`);
    let suppressed = await suppressionOf(pool, address);
    for (let i = 0; i < 120 && !suppressed; i++) {
      await sleep(250);
      suppressed = await suppressionOf(pool, address);
    }
    if (suppressed && note === 'a confirmation that bounces') console.log(`    ${address} bounced: ${suppressed.detail}; suppressed for automatic mail`);
  }
  // The demo can run again: the next run's first confirmation goes out and bounces anew.
  await liftSuppression(pool, address);
}

export async function runDemo(deployment: Deployment): Promise<void> {
  const started = Date.now();
  const info = await stackUp();
  const { config } = deployment;
  await deployment.directory.add({ email: 'anna.berg@example.com', name: 'Anna Berg' });
  await deployment.aws.dynamo.send(
    new PutCommand({
      TableName: config.routingRuleTable,
      Item: { ruleId: 'network-vpn', position: 10, enabled: true, conditions: [{ field: 'subject', operator: 'contains', value: 'VPN' }], assignmentGroup: 'Network', category: 'Network', priority: 2 },
    }),
  );
  // Installed before the first email, so the worker's first read of the rule tables has them.
  const nagios = DEFAULT_PARSING_RULES.find((r) => r.ruleId === 'nagios')!;
  await deployment.aws.dynamo.send(new PutCommand({ TableName: config.parsingRuleTable, Item: { ...nagios, match: { ...nagios.match, senderContains: '@monitoring.example' } } }));
  await addToAllowlist(deployment.pool, 'monitoring.example');
  const client = await deployment.temporal();
  console.log('\nDelivering the sample emails as SES would:');
  for (const sample of SAMPLES) {
    const raw = readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', sample.file));
    const id = await ingestEmail(deployment.aws, config, raw, sample.options);
    const status = await waitForEmail(client, id, 120_000);
    console.log(`  ${sample.file.padEnd(26)} ${status.stage.padEnd(17)} ${(status.incidentNumber ?? '').padEnd(11)} ${sample.note}${status.reason ? ` (${status.reason})` : ''}`);
  }
  await demoConversation(deployment, client);
  await demoMonitoring(deployment, client);
  await demoDeliveryFeedback(deployment, client);

  console.log('\nIncidents:');
  for (const i of (await listIncidents(deployment.pool)).reverse()) {
    console.log(`  ${i.number}  P${i.priority}  ${(i.assignmentGroup ?? '-').padEnd(8)} ${(i.reporter?.name ?? `(unknown) ${i.sender.address}`).padEnd(32)} ${i.shortDescription}`);
  }
  const outbox = await readOutbox(config.aws.endpoint, deployment.aws, deployment.pool);
  console.log(`\nEmails sent through SES: ${outbox.length}  (see them: npx email-to-ticket outbox; each one's delivery: npx email-to-ticket incident show INC...)`);
  console.log(`Temporal Web UI: ${process.env.TEMPORAL_UI_URL}  (one workflow per email: inbound-email-<SES message id>)`);
  console.log(`Admin page:      ${info.adminUrl}  (user ${info.env.ADMIN_USER}, password ${info.env.ADMIN_PASSWORD})`);
  console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s. Stop everything with: npx email-to-ticket stack down`);
}
