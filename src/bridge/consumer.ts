// The bridge loop: long-poll SQS -> decode -> start one workflow per item -> delete the message. The
// queue's work says what an item is: an inbound email (inbound-work.ts) or an SES event about our mail
// (delivery-event-work.ts). A message is deleted only once Temporal accepted every start (already
// started counts), so a crash anywhere leaves it in the queue to be delivered again; the workflow ids
// make that harmless.
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { Client } from '@temporalio/client';
import type { Logger } from '../logger';
import { temporalAnswers } from '../temporal-connection';
import type { BridgeCounters, MessageResult } from './message-results';
import { isFifo } from '../domain/inbound-names';

/** What a queue message holds: items to start, nothing to do, or something unusable (with the reason). */
export type Decoded<T> = { kind: 'items'; items: T[] } | { kind: 'ignore'; reason: string } | { kind: 'malformed'; reason: string };

export interface QueueWork<T> {
  /** The workflow an item starts, for the logs. */
  what: string;
  /** Never throws: what it cannot use comes back as malformed, with the reason. */
  decode(body: string | undefined): Decoded<T>;
  /** Starts the item's workflow; 'duplicate' when it exists already. The fields are logged. */
  start(item: T): Promise<{ result: 'started' | 'duplicate'; logged: Record<string, unknown> }>;
}

export interface BridgeOptions<T> {
  sqs: SQSClient;
  temporal: Client;
  log: Logger;
  queueUrl: string;
  deadLetterQueueUrl: string;
  work: QueueWork<T>;
  concurrency: number;
  waitTimeSeconds: number;
  visibilityTimeoutSeconds: number;
  /**
   * How long a message whose start failed while Temporal was down stays hidden (BRIDGE_TEMPORAL_DOWN_HOLD_SECONDS,
   * default 900): it is shown again as soon as Temporal answers, or after this should the bridge die first.
   */
  temporalDownHoldSeconds?: number;
  metrics?: { count(result: MessageResult): void; observeLag(sentTimestampMs: number): void };
}

const DEFAULT_TEMPORAL_DOWN_HOLD_SECONDS = 900;
/** A start Temporal accepted this recently proves it up: no probe before the next receive. */
const TEMPORAL_PROVEN_UP_MS = 5000;

export class Bridge<T = unknown> {
  readonly counters: BridgeCounters = { received: 0, started: 0, duplicate: 0, deadLettered: 0, ignored: 0, retried: 0 };
  private readonly inFlight = new Set<Promise<void>>();
  /** Set when a start failed and Temporal did not answer: no message is received until it does. */
  private temporalDown = false;
  /** Receipt handles of the messages hidden while Temporal is down, with the time their hold ends. */
  private readonly heldWhileDown = new Map<string, number>();
  /** When Temporal last accepted a start or answered a probe (ms since the epoch). */
  private temporalUpAt = 0;

  constructor(private readonly opts: BridgeOptions<T>) {}

  private count(result: MessageResult): void {
    this.counters[result]++;
    this.opts.metrics?.count(result);
  }

  /** Runs until `signal` aborts, then lets the messages in hand finish. */
  async run(signal: AbortSignal): Promise<void> {
    const { sqs, log } = this.opts;
    while (!signal.aborted) {
      // Every receive counts toward the queue's dead-letter limit (maxReceiveCount): while Temporal is down,
      // receiving would spend them and a long outage would dead-letter valid email. Wait for it instead.
      if (this.temporalDown) {
        await this.waitForTemporal(signal);
        continue;
      }
      const free = this.opts.concurrency - this.inFlight.size;
      if (free <= 0) {
        await Promise.race(this.inFlight);
        continue;
      }
      // Asked before receiving, not only after a start failed: a bridge that has had nothing to do (one of
      // several, or one started during the outage) would otherwise spend a receive on every message whose
      // hold ran out, once per bridge and per restart, and enough of them dead-letter valid email.
      if (Date.now() - this.temporalUpAt > TEMPORAL_PROVEN_UP_MS && !(await this.temporalAnswers())) {
        this.temporalDown = true;
        continue;
      }
      let messages: Message[] = [];
      try {
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.opts.queueUrl,
            MaxNumberOfMessages: Math.min(10, free),
            WaitTimeSeconds: this.opts.waitTimeSeconds,
            VisibilityTimeout: this.opts.visibilityTimeoutSeconds,
            MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
          }),
          { abortSignal: signal },
        );
        messages = out.Messages ?? [];
      } catch (err) {
        if (signal.aborted) break;
        log.error({ err: (err as Error).message }, 'receiving from SQS failed; retrying');
        await sleep(2000, signal);
        continue;
      }
      for (const message of messages) {
        this.count('received');
        const sent = Number(message.Attributes?.SentTimestamp);
        if (sent) this.opts.metrics?.observeLag(sent);
        const task = this.handle(message).finally(() => this.inFlight.delete(task));
        this.inFlight.add(task);
      }
    }
    await Promise.allSettled([...this.inFlight]);
    // Stopping (a deploy, a scale-in): what this bridge held is left to the next one at once.
    await this.releaseHeld();
  }

  /** Handles one message; never throws (every outcome is logged and the message deleted, moved or left). */
  async handle(message: Message): Promise<void> {
    const { log } = this.opts;
    const envelope = this.opts.work.decode(message.Body);
    try {
      if (envelope.kind === 'malformed') {
        await this.deadLetter(message, envelope.reason);
        return;
      }
      if (envelope.kind === 'ignore') {
        this.count('ignored');
        log.info({ sqsMessageId: message.MessageId, reason: envelope.reason }, 'queue message ignored');
        await this.delete(message);
        return;
      }
      for (const item of envelope.items) await this.start(item);
      await this.delete(message);
    } catch (err) {
      // Temporal or SQS unreachable: leave the message; it comes back after a backoff, or, when Temporal
      // itself is down, once it answers again (held, so that a receive under way cannot take it meanwhile).
      this.count('retried');
      const temporalDown = !(await this.temporalAnswers());
      const receiveCount = Number(message.Attributes?.ApproximateReceiveCount ?? '1');
      const backoff = temporalDown ? this.holdSeconds : Math.min(300, 5 * 2 ** Math.min(receiveCount - 1, 6));
      const cause = (err as { cause?: Error }).cause?.message;
      log.error({ sqsMessageId: message.MessageId, err: (err as Error).message, cause, retryInSeconds: backoff }, 'queue message not handled; will retry');
      await this.opts.sqs
        .send(new ChangeMessageVisibilityCommand({ QueueUrl: this.opts.queueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: backoff }))
        .catch(() => undefined);
      if (temporalDown && message.ReceiptHandle) {
        this.heldWhileDown.set(message.ReceiptHandle, Date.now() + backoff * 1000);
        this.temporalDown = true;
      }
    }
  }

  private get holdSeconds(): number {
    return this.opts.temporalDownHoldSeconds ?? DEFAULT_TEMPORAL_DOWN_HOLD_SECONDS;
  }

  private async temporalAnswers(): Promise<boolean> {
    try {
      await temporalAnswers(this.opts.temporal.connection);
      this.temporalUpAt = Date.now();
      return true;
    } catch {
      return false;
    }
  }

  /** Polls Temporal (2 s doubling to 30 s) until it answers; receives nothing meanwhile. */
  private async waitForTemporal(signal: AbortSignal): Promise<void> {
    const { log } = this.opts;
    log.warn('Temporal does not answer: receiving paused until it does (messages stay in the queue)');
    for (let wait = 2000; !signal.aborted && !(await this.temporalAnswers()); wait = Math.min(wait * 2, 30_000)) await sleep(wait, signal);
    if (!signal.aborted) log.info({ held: this.heldWhileDown.size }, 'Temporal answers again: receiving resumed');
    await this.releaseHeld();
    this.temporalDown = false;
  }

  /**
   * The messages held while Temporal was down are visible again at once, not after their hold. One whose
   * hold has run out is left alone: another bridge may have received it since, and on a standard queue an
   * old receipt handle can still change the visibility of the message that bridge now holds.
   */
  private async releaseHeld(): Promise<void> {
    const now = Date.now();
    for (const [receiptHandle, heldUntil] of this.heldWhileDown) {
      if (heldUntil <= now) continue;
      await this.opts.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.opts.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: 0 })).catch(() => undefined);
    }
    this.heldWhileDown.clear();
  }

  private async start(item: T): Promise<void> {
    const { what } = this.opts.work;
    const { result, logged } = await this.opts.work.start(item);
    // Accepted or refused as already started: either way Temporal answered.
    this.temporalUpAt = Date.now();
    this.count(result);
    this.opts.log.info(logged, result === 'started' ? `${what} workflow started` : `duplicate delivery: ${what} workflow already started`);
  }

  private async deadLetter(message: Message, reason: string): Promise<void> {
    const { sqs, log, deadLetterQueueUrl } = this.opts;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: deadLetterQueueUrl,
        MessageBody: message.Body || '(empty body)',
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: reason },
          sourceMessageId: { DataType: 'String', StringValue: message.MessageId ?? 'unknown' },
        },
        ...(isFifo(deadLetterQueueUrl) ? { MessageGroupId: 'malformed', MessageDeduplicationId: message.MessageId } : {}),
      }),
    );
    await this.delete(message);
    this.count('deadLettered');
    log.warn({ sqsMessageId: message.MessageId, reason }, 'malformed queue message moved to the dead-letter queue');
  }

  private async delete(message: Message): Promise<void> {
    await this.opts.sqs.send(new DeleteMessageCommand({ QueueUrl: this.opts.queueUrl, ReceiptHandle: message.ReceiptHandle }));
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
