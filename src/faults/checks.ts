// What the fault run promises, checked against the database, the SES outbox and the queues afterwards:
// every email of the mix became what it must (expectations.ts), nothing is left in SQS, nothing valid
// was dead-lettered, and the faults did what they say (evidence.ts).
import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { BenchEmail } from '../bench/email-mix';
import { decodeEnvelope } from '../bridge/envelope';
import { Deployment } from '../operations/deployment';
import { readOutbox } from '../operations/outbox';
import { sleep } from '../stack/processes';
import { sendEventEvidence, sendsRecordedByEvent } from '../db/delivery-events';
import { incidentsMadeBy } from '../db/incidents';
import { inboundEmailStages } from '../db/inbound-emails';
import { commentsMadeBy } from '../db/threads';
import { Check, compareMix, emailChecks, Mailed, Observed } from './expectations';
import { AppliedFault, faultChecks, PartDeath } from './evidence';

export interface RunRecord {
  mix: BenchEmail[];
  /** The SES message id each email of the mix was delivered under. */
  idOf(index: number): string;
  /** Emails that never reached the queue, with the last error. */
  failedDeliveries: { index: number; error: string }[];
  faults: AppliedFault[];
  deaths: PartDeath[];
}

const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => map.set(key, [...(map.get(key) ?? []), value]);

async function emailVerdictChecks(deployment: Deployment, run: RunRecord, ids: string[]): Promise<Check[]> {
  const { pool, aws, config } = deployment;
  const [stages, incidents, comments] = await Promise.all([inboundEmailStages(pool, ids), incidentsMadeBy(pool, ids), commentsMadeBy(pool, ids)]);
  const stageOf = new Map(stages.map((r) => [r.sesMessageId, r]));
  const incidentsOf = new Map<string, string[]>();
  for (const i of incidents) push(incidentsOf, i.sesMessageId, i.number);
  const commentsOf = new Map<string, string[]>();
  for (const c of comments) push(commentsOf, c.sesMessageId, c.incidentNumber);

  // Counted in what SES actually accepted (the emulator's outbox), not in our own records. A message is its
  // Message-ID: the same one sent twice (resent after a worker died mid-send, before it could record that
  // SES had accepted it) is one confirmation to the recipient's mail program; counted apart.
  const messages = new Map<string, Set<string>>();
  const sends = new Map<string, number>();
  for (const m of await readOutbox(config.aws.endpoint, aws, pool)) {
    const messageId = /^Message-ID:\s*(\S+)/im.exec(m.raw ?? '')?.[1] ?? m.messageId;
    for (const number of new Set(m.subject.match(/INC\d{7}/g) ?? [])) {
      messages.set(number, (messages.get(number) ?? new Set()).add(messageId));
      sends.set(number, (sends.get(number) ?? 0) + 1);
    }
  }
  const mailed = (incident: string): Mailed => ({ messages: messages.get(incident)?.size ?? 0, sends: sends.get(incident) ?? 0 });
  const failed = new Map(run.failedDeliveries.map((f) => [f.index, f.error]));
  const observe = (index: number): Observed => {
    const id = run.idOf(index);
    const row = stageOf.get(id);
    return {
      deliveryError: failed.get(index),
      stage: row?.stage ?? null,
      reason: row?.reason ?? null,
      stageIncident: row?.incidentNumber ?? null,
      incidentsMade: incidentsOf.get(id) ?? [],
      commentedOn: commentsOf.get(id) ?? [],
    };
  };
  return emailChecks(compareMix(run.mix, observe, mailed));
}

async function queueChecks(deployment: Deployment, ids: string[]): Promise<Check[]> {
  const { aws, config } = deployment;
  const attributes = (await aws.sqs.send(new GetQueueAttributesCommand({
    QueueUrl: config.inbound.queueUrl,
    AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
  }))).Attributes ?? {};
  const left = Object.values(attributes).reduce((sum, v) => sum + Number(v ?? 0), 0);

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
  return [
    { name: 'no message left in SQS', ok: left === 0, detail: `${left} in ${config.inbound.queueUrl.split('/').pop()}` },
    { name: 'nothing valid in the dead-letter queue', ok: valid === 0, detail: `${valid} of this run's emails among ${seen} dead-lettered messages` },
  ];
}

/**
 * Delivery feedback under faults: SES's Send event came back for every message SES accepted, and no claim
 * was taken over to send again once its Send event had arrived. Events trail the sends by a moment, or by
 * the queue's visibility timeout when the bridge holding them was killed.
 */
async function deliveryFeedbackChecks(deployment: Deployment, ids: string[], faults: AppliedFault[]): Promise<Check[]> {
  const { pool, config } = deployment;
  if (!config.delivery.configurationSet || !config.delivery.eventsQueue) return [];
  const incidents = [...new Set((await incidentsMadeBy(pool, ids)).map((i) => i.number))];
  let evidence = await sendEventEvidence(pool, incidents);
  // A killed bridge's messages in hand come back after their visibility timeout: events may trail that long.
  const waitMs = config.bridge.visibilityTimeoutSeconds * 1000 + 30_000;
  for (const deadline = Date.now() + waitMs; evidence.withSendEvent < evidence.sent && Date.now() < deadline; ) {
    await sleep(1000);
    evidence = await sendEventEvidence(pool, incidents);
  }
  const interrupted = faults.map((f) => f.interruptedSend).filter((id): id is string => id !== undefined);
  const settled = interrupted.length ? await sendsRecordedByEvent(pool, interrupted) : [];
  return [
    { name: "every accepted message's Send event came back", ok: evidence.withSendEvent === evidence.sent, detail: `${evidence.withSendEvent} of ${evidence.sent} messages` },
    ...(interrupted.length
      ? [
          {
            name: 'the send a killed worker never heard of was recorded by its Send event',
            ok: settled.length === interrupted.length,
            detail: `${settled.length} of ${interrupted.length} (${interrupted.join(', ')}); its email's check above counts what SES accepted`,
          },
        ]
      : []),
    {
      name: 'nothing sent again after its Send event arrived',
      ok: evidence.retakenAfterSendEvent === 0,
      detail: `${evidence.retakenAfterSendEvent} send claims taken over after SES's Send event for them was recorded; ${evidence.recordedBySendEvent} messages recorded as sent by their Send event before their attempt could`,
    },
  ];
}

export async function runChecks(deployment: Deployment, run: RunRecord): Promise<Check[]> {
  const ids = run.mix.map((e) => run.idOf(e.index));
  let stored: Check[];
  try {
    stored = [...(await emailVerdictChecks(deployment, run, ids)), ...(await queueChecks(deployment, ids)), ...(await deliveryFeedbackChecks(deployment, ids, run.faults))];
  } catch (err) {
    // A database or emulator that is gone at the end is a failed check, not a crash of the run.
    stored = [{ name: 'the outcomes could be read', ok: false, detail: (err as Error).message }];
  }
  return [...stored, ...faultChecks(run.faults, run.deaths)];
}
