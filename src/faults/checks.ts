// What the fault run promises, checked against the database, the SES outbox and the queues afterwards:
// every email accounted for, one incident per new email, one confirmation per incident, nothing left in
// SQS, nothing valid in the dead-letter queue.
import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { decodeEnvelope } from '../bridge/envelope';
import { Deployment } from '../operations/deployment';
import { readOutbox } from '../operations/outbox';
import { isFinalOutcome } from '../bench/outcomes';
import { incidentsMadeBy } from '../db/incidents';
import { inboundEmailStages } from '../db/inbound-emails';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export async function runChecks(deployment: Deployment, ids: string[]): Promise<Check[]> {
  const { pool, aws, config } = deployment;
  const checks: Check[] = [];
  const add = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });

  const rows = await inboundEmailStages(pool, ids);
  const byId = new Map(rows.map((r) => [r.sesMessageId, r]));
  const unaccounted = ids.filter((id) => {
    const r = byId.get(id);
    return !r || !isFinalOutcome(r.stage, r.reason);
  });
  const stages: Record<string, number> = {};
  for (const r of rows) stages[r.stage] = (stages[r.stage] ?? 0) + 1;
  add('every email accounted for (final outcome recorded)', unaccounted.length === 0, `${ids.length - unaccounted.length} of ${ids.length} (${Object.entries(stages).map(([s, n]) => `${s} ${n}`).join(', ')})${unaccounted.length ? `; lost: ${unaccounted.slice(0, 5).join(', ')}` : ''}`);

  const incidents = await incidentsMadeBy(pool, ids);
  const perEmail = new Map<string, string[]>();
  for (const i of incidents) perEmail.set(i.sesMessageId, [...(perEmail.get(i.sesMessageId) ?? []), i.number]);
  const duplicated = [...perEmail.entries()].filter(([, n]) => n.length > 1);
  const newEmails = rows.filter((r) => r.stage === 'confirmed' || r.stage === 'incident-created');
  const withoutIncident = newEmails.filter((r) => !perEmail.has(r.sesMessageId));
  const repliesWithIncident = rows.filter((r) => r.stage === 'threaded-as-reply' && perEmail.has(r.sesMessageId));
  add('exactly one incident per new email', duplicated.length === 0 && withoutIncident.length === 0 && repliesWithIncident.length === 0,
    `${newEmails.length} new emails, ${incidents.length} incidents; duplicated ${duplicated.length}, missing ${withoutIncident.length}, replies with an incident of their own ${repliesWithIncident.length}`);

  // Counted in what SES actually accepted (the emulator's outbox), not in our own records.
  // A message is its Message-ID: the same one sent twice (resent after a worker died mid-send, before it
  // could record that SES had accepted it) is one confirmation to the recipient's mail program; counted apart.
  const outbox = await readOutbox(config.aws.endpoint, aws, pool);
  const messagesPerIncident = new Map<string, Set<string>>();
  const sendsPerIncident = new Map<string, number>();
  for (const m of outbox) {
    const messageId = /^Message-ID:\s*(\S+)/im.exec(m.raw ?? '')?.[1] ?? m.messageId;
    for (const number of new Set(m.subject.match(/INC\d{7}/g) ?? [])) {
      messagesPerIncident.set(number, (messagesPerIncident.get(number) ?? new Set()).add(messageId));
      sendsPerIncident.set(number, (sendsPerIncident.get(number) ?? 0) + 1);
    }
  }
  const confirmedNumbers = newEmails.filter((r) => r.stage === 'confirmed').flatMap((r) => perEmail.get(r.sesMessageId) ?? []);
  const missing = confirmedNumbers.filter((n) => !messagesPerIncident.get(n)?.size);
  const extra = confirmedNumbers.filter((n) => (messagesPerIncident.get(n)?.size ?? 0) > 1);
  const resent = confirmedNumbers.filter((n) => (sendsPerIncident.get(n) ?? 0) > (messagesPerIncident.get(n)?.size ?? 0));
  // Incidents without a confirmation must have a reason that is a rule (alert, bulk mail, rate limit), never a fault.
  const unconfirmed = newEmails.filter((r) => r.stage === 'incident-created');
  const byFault = unconfirmed.filter((r) => !/monitoring alert|mail: no confirmation sent|rate limited|own address|SES refused/.test(r.reason ?? ''));
  add('exactly one confirmation per incident', missing.length === 0 && extra.length === 0 && byFault.length === 0,
    `${confirmedNumbers.length - missing.length - extra.length} of ${confirmedNumbers.length} with exactly one; none ${missing.length}, more than one ${extra.length}; sent twice with the same Message-ID ${resent.length}` +
      (unconfirmed.length ? `; ${unconfirmed.length} incidents without one (${[...new Set(unconfirmed.map((r) => r.reason))].slice(0, 2).join('; ')})` : ''));

  const attributes = (await aws.sqs.send(new GetQueueAttributesCommand({
    QueueUrl: config.inbound.queueUrl,
    AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
  }))).Attributes ?? {};
  const left = Object.values(attributes).reduce((sum, v) => sum + Number(v ?? 0), 0);
  add('no message left in SQS', left === 0, `${left} in ${config.inbound.queueUrl.split('/').pop()}`);

  // Read (and hide for a minute) what the dead-letter queue holds: one of our emails there would be lost.
  const ours = new Set(ids);
  let valid = 0;
  let seen = 0;
  for (let round = 0; round < 100; round++) {
    const out = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: config.inbound.deadLetterQueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60, WaitTimeSeconds: 0 }));
    const messages = out.Messages ?? [];
    if (messages.length === 0) break;
    for (const m of messages) {
      seen++;
      const envelope = decodeEnvelope(m.Body, { bucket: config.inbound.bucket, prefix: config.inbound.prefix });
      if (envelope.kind === 'emails' && envelope.emails.some((e) => ours.has(e.notice.sesMessageId))) valid++;
    }
  }
  add('nothing valid in the dead-letter queue', valid === 0, `${valid} of this run's emails among ${seen} dead-lettered messages`);
  return checks;
}
