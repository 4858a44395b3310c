// What the integration tests share: clients to the test stack and the delivery path a real email takes.
import { readFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { Deployment } from '../../src/operations/deployment';
import { EmailStatusView, isSettled, waitForEmail } from '../../src/operations/email-status';
import { ingestEmail, IngestOptions } from '../../src/operations/ingest-email';
import { readOutbox } from '../../src/operations/outbox';
import { TEST_STACK_ENV } from './stack-env';

Object.assign(process.env, TEST_STACK_ENV);

export const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name));

/** A fixture with its Message-ID and From made unique, so tests never see each other's mail. */
export function uniqueEmail(name: string, tag: string, from?: string): Buffer {
  let text = fixture(name).toString('latin1');
  text = text.replace(/^Message-ID:.*$/im, `Message-ID: <${tag}@test.example>`);
  if (from) text = text.replace(/^From:.*$/im, `From: Test Sender <${from}>`);
  return Buffer.from(text, 'latin1');
}

export function openStack() {
  const ctx = new Deployment();
  return {
    ctx,
    deliver: (raw: Buffer, options?: IngestOptions) => ingestEmail(ctx.aws, ctx.config, raw, options),
    settle: async (id: string, timeoutMs = 45_000): Promise<EmailStatusView> => waitForEmail(await ctx.temporal(), id, timeoutMs),
    /** Waits past quarantine: for the workflow to close after an admin's decision. */
    finish: async (id: string, timeoutMs = 45_000): Promise<EmailStatusView> =>
      waitForEmail(await ctx.temporal(), id, timeoutMs, (s) => isSettled(s) && s.workflowStatus !== 'RUNNING'),
    outbox: () => readOutbox(ctx.config.aws.endpoint, ctx.aws, ctx.pool),
    incidentsFor: async (sesMessageId: string) =>
      (await ctx.pool.query('SELECT number FROM incidents WHERE ses_message_id = $1', [sesMessageId])).rows.map((r) => r.number as string),
  };
}

export const newId = (label: string) => `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** A loopback port free at the moment, for a process a test starts itself. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** Polls (every 200 ms, 20 s at most unless told) until the probe returns a value. */
export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, seconds = 20): Promise<T> {
  for (let i = 0; i < seconds * 5; i++) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('condition never held');
}

export interface Reply {
  from: string;
  subject: string;
  messageId: string;
  inReplyTo?: string;
  headers?: string[];
  body: string;
}

/** A plain-text reply from a customer, threaded by In-Reply-To/References when given. */
export function replyEmail(r: Reply): Buffer {
  return Buffer.from(
    [
      `From: Customer <${r.from}>`,
      'To: tickets@your-instance.stackflow-tech.com',
      `Subject: ${r.subject}`,
      `Message-ID: <${r.messageId}>`,
      ...(r.inReplyTo ? [`In-Reply-To: ${r.inReplyTo}`, `References: ${r.inReplyTo}`] : []),
      ...(r.headers ?? []),
      'Date: Tue, 24 Nov 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      r.body,
    ].join('\r\n'),
  );
}

/** A header of the raw message, unfolded (long headers continue on indented lines). */
export const header = (raw: string, name: string) =>
  new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' '))?.[1]?.trim();
