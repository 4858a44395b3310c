// The direct pipeline (a process of its own, started by `bench`): what one would write without Temporal, the
// seed's Lambda-style design. A plain SQS consumer calls the same activity functions in sequence:
// parseInboundEmail -> checkSpam -> lookupReporter -> routeEmail -> createIncident -> sendConfirmation.
// No quarantine wait and no reply detection (every email is a new ticket). A failed email stays in the
// queue and comes back (SQS redelivery), as with Lambda; after 3 receives it is recorded as failed.
// The activities that log (parseInboundEmail, createIncident) need an activity context: each step runs in
// a MockActivityEnvironment (@temporalio/testing), which is the worker's own activity wrapper.
import { confirmationRequest } from '../domain/confirmation-request';
import { DeleteMessageCommand, Message, ReceiveMessageCommand, ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import { DefaultLogger, LogLevel } from '@temporalio/worker';
import type { MockActivityEnvironment as MockEnv } from '@temporalio/testing';
import { createActivities } from '../activities';
import { createAwsClients } from '../aws/clients';
import { decodeEnvelope } from '../bridge/envelope';
import { loadConfig } from '../config';
import { createPool } from '../db/pool';
import { isSenderVerified } from '../domain/sender-trust';
import { verdictsFrom } from '../domain/spam-decision';
import { InboundEmailNotice } from '../domain/types';
import { createLogger } from '../logger';

async function main(): Promise<void> {
  const queueUrl = process.env.BENCH_DIRECT_QUEUE_URL!;
  const prefix = process.env.BENCH_DIRECT_PREFIX!;
  const log = createLogger('bench-direct');
  const config = loadConfig();
  const concurrency = Number(process.env.BENCH_DIRECT_CONCURRENCY ?? config.bridge.concurrency);
  const pool = createPool(config.databaseUrl);
  const aws = createAwsClients(config.aws);
  const activities = createActivities({ config, aws, pool });
  // A devDependency: loaded here only, so the CLI works without it.
  const { MockActivityEnvironment } = (await import('@temporalio/testing')) as { MockActivityEnvironment: typeof MockEnv };
  const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };
  const logger = new DefaultLogger('INFO', (entry) => log[levels[entry.level]]({ ...entry.meta }, entry.message));

  function step<I, O>(fn: (input: I) => Promise<O>, name: string, notice: InboundEmailNotice, input: I): Promise<O> {
    const env = new MockActivityEnvironment({ activityType: name, workflowExecution: { workflowId: `direct-${notice.sesMessageId}`, runId: 'direct' } }, { logger });
    return env.run(fn, input);
  }

  async function processEmail(notice: InboundEmailNotice): Promise<void> {
    const a = activities;
    const email = await step(a.parseInboundEmail, 'parseInboundEmail', notice, notice);
    const verdicts = notice.verdicts ?? verdictsFrom(email.headerVerdicts ?? {});
    const sender = email.from?.address ?? null;
    const outcome = (stage: 'quarantined' | 'ignored' | 'incident-created', reason: string, incidentNumber?: string) =>
      a.recordEmailOutcome({ sesMessageId: notice.sesMessageId, stage, reason, incidentNumber, verdicts });
    const spam = await step(a.checkSpam, 'checkSpam', notice, { sender, verdicts });
    if (spam.action === 'quarantine') return outcome('quarantined', spam.reasons.join('; '));
    if (email.kind === 'bounce' || email.kind === 'auto-reply') return outcome('ignored', `${email.kind}: no incident for automated mail`);
    if (!sender) return outcome('ignored', 'no sender address');
    const reporter = await step(a.lookupReporter, 'lookupReporter', notice, { address: sender, name: email.from?.name ?? '', verified: isSenderVerified(verdicts) });
    const routing = await step(a.routeEmail, 'routeEmail', notice, { sender, subject: email.subject, bucket: notice.bucket, parsedKey: email.parsedKey });
    if (routing.ignore === true) return outcome('ignored', `ignored by routing rule ${routing.ignoredBy ?? routing.ruleId}`);
    const incident = await step(a.createIncident, 'createIncident', notice, { sesMessageId: notice.sesMessageId, bucket: notice.bucket, parsedKey: email.parsedKey, routing, reporter });
    if (email.kind !== 'human') return outcome('incident-created', `${email.kind} mail: no confirmation sent`, incident.number);
    const confirmation = await step(a.sendConfirmation, 'sendConfirmation', notice, confirmationRequest(notice.sesMessageId, incident, email, routing));
    if (!confirmation.sent) return outcome('incident-created', `no confirmation: ${confirmation.reason}`, incident.number);
  }

  async function handle(message: Message): Promise<void> {
    const envelope = decodeEnvelope(message.Body, { bucket: config.inbound.bucket, prefix });
    try {
      if (envelope.kind === 'emails') for (const { notice } of envelope.emails) await processEmail(notice);
      await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    } catch (err) {
      const receives = Number(message.Attributes?.ApproximateReceiveCount ?? '1');
      log.error({ err: (err as Error).message, receives }, 'email failed; left in the queue');
      if (receives >= 3 && envelope.kind === 'emails') {
        for (const { notice: n } of envelope.emails) await activities.recordEmailOutcome({ sesMessageId: n.sesMessageId, stage: 'failed', reason: (err as Error).message }).catch(() => undefined);
        await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle })).catch(() => undefined);
      } else {
        await aws.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 2 * receives })).catch(() => undefined);
      }
    }
  }

  const stop = new AbortController();
  process.once('SIGTERM', () => stop.abort());
  process.on('message', (m) => m === 'stop' && stop.abort());
  const inFlight = new Set<Promise<void>>();
  process.send?.('ready');
  while (!stop.signal.aborted) {
    const free = concurrency - inFlight.size;
    if (free <= 0) {
      await Promise.race(inFlight);
      continue;
    }
    let messages: Message[] = [];
    try {
      const out = await aws.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: Math.min(10, free), WaitTimeSeconds: config.bridge.waitTimeSeconds, VisibilityTimeout: 60, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
        { abortSignal: stop.signal },
      );
      messages = out.Messages ?? [];
    } catch (err) {
      if (stop.signal.aborted) break;
      log.error({ err: (err as Error).message }, 'receive failed');
      await new Promise((r) => setTimeout(r, 1000));
    }
    for (const message of messages) {
      const task = handle(message).finally(() => inFlight.delete(task));
      inFlight.add(task);
    }
  }
  await Promise.allSettled([...inFlight]);
  await pool.end();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
