// `history record DIR`: runs the product's scenarios on the local stack and saves each workflow history
// as a replay fixture (test/histories): every change to the workflows is then replayed against them.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { Client } from '@temporalio/client';
import { addAgentComment, waitForComment } from '../operations/incident-thread';
import { releaseQuarantined } from '../operations/quarantine';
import { incidentThreadWorkflowId, inboundEmailWorkflowId } from '../domain/workflow-ids';
import { PROJECT_ROOT, stackSettings } from '../stack/settings';
import { startPostgres, stopPostgres } from '../stack/postgres';
import { Deployment } from '../operations/deployment';
import { isSettled, waitForEmail } from '../operations/email-status';
import { exportHistory } from './history';
import { ingestEmail, newSesMessageId } from '../operations/ingest-email';

const fixture = (name: string, messageId: string) =>
  Buffer.from(
    readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', name)).toString('latin1').replace(/^Message-ID:.*$/im, `Message-ID: <${messageId}@recorded.example>`),
    'latin1',
  );

const done = (client: Client, id: string) => waitForEmail(client, id, 120_000, (s) => isSettled(s) && s.workflowStatus !== 'RUNNING');

export async function recordHistories(deployment: Deployment, dir: string, log: (line: string) => void = console.log): Promise<void> {
  const client = await deployment.temporal();
  const { aws, config, pool } = deployment;
  const save = async (name: string, workflowId: string, runId?: string) => {
    const file = join(dir, `${name}.json`);
    const handle = client.workflow.getHandle(workflowId, runId);
    const events = await exportHistory(client, workflowId, file, runId);
    log(`${name}: ${events} events (${(await handle.describe()).status.name.toLowerCase()})`);
  };

  // A new ticket: incident and confirmation.
  const first = newSesMessageId();
  await ingestEmail(aws, config, fixture('plain-text.eml', first), { messageId: first });
  const created = await done(client, first);
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
  await done(client, spam);
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
  await done(client, reply);
  await save('reply-threaded', inboundEmailWorkflowId(reply));
  await save('thread-agent-comment-and-reply', incidentThreadWorkflowId(number));

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
}
