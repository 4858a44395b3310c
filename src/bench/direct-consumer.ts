// The direct pipeline (a process of its own, started by `bench`): what one would write without Temporal, the
// seed's Lambda-style design. A plain SQS consumer runs the same decision order as the workflow
// (domain/inbound-run.ts) and performs each step by calling the same activity function directly. No
// quarantine wait (a quarantined email stays quarantined) and no thread workflow (a reply is appended at
// once). A failed email stays in the queue and comes back (SQS redelivery), as with Lambda; after 3
// receives it is recorded as failed.
// The activities that log (parseInboundEmail, raiseIncident) need an activity context: each step runs in
// a MockActivityEnvironment (@temporalio/testing), which is the worker's own activity wrapper.
import { DeleteMessageCommand, Message, ReceiveMessageCommand, ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import { DefaultLogger, LogLevel } from '@temporalio/worker';
import type { MockActivityEnvironment as MockEnv } from '@temporalio/testing';
import { createActivities } from '../activities';
import { createAwsClients } from '../aws/clients';
import { decodeEnvelope } from '../bridge/envelope';
import { loadConfig } from '../config';
import { createPool } from '../db/pool';
import { InboundStepPerformer, runInboundEmail } from '../domain/inbound-run';
import type { ParseResult } from '../domain/inbound-steps';
import { orPermanentFault, sentOrRefused } from '../domain/permanent-faults';
import { senderPolicyFor, senderPolicyInput } from '../domain/sender-policy';
import { InboundEmailNotice } from '../domain/types';
import { createLogger } from '../logger';

async function main(): Promise<void> {
  const queueUrl = process.env.BENCH_DIRECT_QUEUE_URL!;
  const prefix = process.env.BENCH_DIRECT_PREFIX!;
  const log = createLogger('bench-direct');
  const config = loadConfig();
  const concurrency = Number(process.env.BENCH_DIRECT_CONCURRENCY ?? config.bridge.concurrency);
  const pool = createPool(config.databaseUrl, config.databasePoolSize);
  const aws = createAwsClients(config.aws);
  const activities = createActivities({ config, aws, pool, withoutSlaClocks: true });
  // A devDependency: loaded here only, so the CLI works without it.
  const { MockActivityEnvironment } = (await import('@temporalio/testing')) as { MockActivityEnvironment: typeof MockEnv };
  const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };
  const logger = new DefaultLogger('INFO', (entry) => log[levels[entry.level]]({ ...entry.meta }, entry.message));

  function step<I, O>(fn: (input: I) => Promise<O>, name: string, notice: InboundEmailNotice, input: I): Promise<O> {
    const env = new MockActivityEnvironment({ activityType: name, workflowExecution: { workflowId: `direct-${notice.sesMessageId}`, runId: 'direct' } }, { logger });
    return env.run(fn, input);
  }

  /** The decision order the workflow runs, each step performed by a direct call; no quarantine wait. */
  async function processEmail(notice: InboundEmailNotice): Promise<void> {
    const a = activities;
    const run = <I, O>(fn: (input: I) => Promise<O>, name: string, input: I) => step(fn, name, notice, input);
    const perform: InboundStepPerformer = {
      parse: ({ input }) => orPermanentFault<ParseResult>(async () => ({ email: await run(a.parseInboundEmail, 'parseInboundEmail', input) }), (fault) => ({ fault })),
      'check-spam': ({ input }) => run(a.checkSpam, 'checkSpam', input),
      quarantine: async () => ({ decision: 'held' }),
      'find-thread': ({ input }) => run(a.findThreadCandidates, 'findThreadCandidates', input),
      'find-alert-incident': ({ input }) => run(a.findAlertIncident, 'findAlertIncident', input),
      // Without a thread workflow, the event is appended by the activity the thread would have run.
      'signal-thread': async ({ input: { incidentNumber, event } }) => {
        if (event.type === 'customer-reply') await run(a.appendCustomerReply, 'appendCustomerReply', { incidentNumber, reply: event });
        else if (event.type === 'note') await run(a.addThreadNote, 'addThreadNote', { incidentNumber, note: event });
        else if (event.type === 'alert') await run(a.appendAlert, 'appendAlert', { incidentNumber, alert: event });
        else throw new Error(`the decision order sent a ${event.type} event`);
      },
      // The direct pipeline runs the alert path of version 3 (alertHandling unset): there is no key workflow.
      'signal-alert-key': async () => {
        throw new Error('the direct pipeline hands no alert to a key workflow');
      },
      'check-agent': ({ input }) => run(a.isAgent, 'isAgent', input),
      'lookup-reporter': ({ input }) => run(a.lookupReporter, 'lookupReporter', input),
      route: ({ input }) => run(a.routeEmail, 'routeEmail', input),
      'create-incident': ({ input }) => run(a.raiseIncident, 'raiseIncident', input),
      'send-confirmation': ({ input }) => sentOrRefused(() => run(a.mailConfirmation, 'mailConfirmation', input)),
      'send-follow-up-refusal': ({ input }) => sentOrRefused(() => run(a.mailFollowUpRefusal, 'mailFollowUpRefusal', input)),
      'send-rejection': ({ input }) => sentOrRefused(() => run(a.mailRejection, 'mailRejection', input)),
    };
    const senderPolicy = senderPolicyInput(senderPolicyFor(config.senderPolicy, notice.recipients));
    await a.recordEmailOutcome(await runInboundEmail({ notice, unauthenticatedConfirmation: config.unauthenticatedConfirmation, senderPolicy }, perform));
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
