// Customer data in Temporal, on the real stack: after a new email, an agent comment sent to the customer
// and the customer's reply, the raw histories, as anyone with namespace read access gets them from the
// Temporal API (no codec), hold no address, name, subject, comment, reply or tracking token of the run;
// the search attributes hold the sender's keyed hash; the operator's client (with the codec) reads it
// all; and the encrypted history replays.
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { join } from 'node:path';
import { EMAIL_SENDER } from '../../src/domain/search-attributes';
import { inboundEmailWorkflowId, incidentThreadWorkflowId } from '../../src/domain/workflow-ids';
import { encryptingDataConverter } from '../../src/encryption/data-converter';
import { codeHistoryPayloads } from '../../src/encryption/history-payloads';
import { senderHash, trackingTokenFor } from '../../src/encryption/keyed-hash';
import { EncryptionCodec } from '../../src/encryption/payload-codec';
import { addAgentComment, waitForComment } from '../../src/operations/incident-thread';
import { newId, openStack, waitFor } from './helpers';

jest.setTimeout(120_000);

const stack = openStack();
let plain: Connection;

beforeAll(async () => {
  plain = await Connection.connect({ address: stack.ctx.config.temporal.address });
});

afterAll(async () => {
  await plain.close();
  await stack.ctx.close();
});

function email(h: { from: string; subject: string; messageId: string; inReplyTo?: string; body: string }): Buffer {
  return Buffer.from(
    [
      `From: ${h.from}`,
      'To: tickets@your-instance.stackflow-tech.com',
      `Subject: ${h.subject}`,
      `Message-ID: <${h.messageId}>`,
      ...(h.inReplyTo ? [`In-Reply-To: ${h.inReplyTo}`, `References: ${h.inReplyTo}`] : []),
      'Date: Mon, 30 Nov 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      h.body,
    ].join('\r\n'),
  );
}

/** Straight from the Temporal API, as any client with read access gets it: bytes of the protobuf response. */
async function rawHistory(workflowId: string): Promise<Buffer> {
  const namespace = stack.ctx.config.temporal.namespace;
  const response = await plain.workflowService.getWorkflowExecutionHistory({ namespace, execution: { workflowId } });
  return Buffer.from(temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse.encode(response).finish());
}

async function rawDescription(workflowId: string): Promise<Buffer> {
  const namespace = stack.ctx.config.temporal.namespace;
  const response = await plain.workflowService.describeWorkflowExecution({ namespace, execution: { workflowId } });
  return Buffer.from(temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse.encode(response).finish());
}

const header = (raw: string, name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' '))?.[1]?.trim();

test('raw histories of a new email, an agent comment and a reply hold none of the customer data', async () => {
  const tag = newId('private');
  const address = `${tag}@customer.example`;
  const name = `Ingrid ${tag.slice(-6)} Secretname`;
  const subject = `Laptop ${tag} will not boot after the update`;
  const body = `My laptop ${tag} shows a black screen since this morning.`;
  const id = newId('pii');
  await stack.deliver(email({ from: `"${name}" <${address}>`, subject, messageId: `${id}@customer.example`, body }), { messageId: id });
  const created = await stack.settle(id);
  expect(created.stage).toBe('confirmed');
  const number = created.incidentNumber!;

  // The confirmation links the tracking page with the token the confirmation step derived (never stored, never in history).
  const token = trackingTokenFor(stack.ctx.config.customerData.hashKey, id);
  const [confirmation] = (await stack.outbox()).filter((m) => m.to.includes(address));
  expect(confirmation.raw).toContain(`/track/${token}`);
  const page = await fetch(`${stack.ctx.config.trackingBaseUrl}/${token}`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain(number);
  const stored = await stack.ctx.pool.query('SELECT * FROM incidents WHERE number = $1', [number]);
  expect(JSON.stringify(stored.rows[0])).not.toContain(token);

  const comment = `Agent note ${tag}: please hold the power button for 30 seconds.`;
  const commentId = await addAgentComment(await stack.ctx.temporal(), stack.ctx.pool, stack.ctx.config.temporal.taskQueue, {
    incidentNumber: number,
    body: comment,
    author: 'Dana Agent',
    sendToCustomer: true,
  });
  await waitForComment(stack.ctx.pool, commentId, true, 30_000);
  const agentMail = (await stack.outbox()).find((m) => m.to.includes(address) && m.raw?.includes(tag) && m.raw.includes('power button'))!;

  const reply = `Reply ${tag}: it booted after holding the button, thanks.`;
  const replyId = newId('pii-reply');
  await stack.deliver(
    email({ from: `"${name}" <${address}>`, subject: `Re: ${agentMail.subject}`, messageId: `${replyId}@customer.example`, inReplyTo: header(agentMail.raw!, 'Message-ID'), body: reply }),
    { messageId: replyId },
  );
  expect(await stack.settle(replyId)).toMatchObject({ stage: 'threaded-as-reply', incidentNumber: number });
  const threadId = incidentThreadWorkflowId(number);
  // The thread has handled the reply (2 entries: the comment and the reply) before its history is read.
  await waitFor(async () => ((await stack.ctx.pool.query('SELECT count(*)::int AS n FROM incident_comments c JOIN incidents i ON i.id = c.incident_id WHERE i.number = $1', [number])).rows[0].n >= 2 ? true : null));

  const secrets = { address, name, subject, body, comment, reply, token, 'local part': tag };
  const workflowIds = [inboundEmailWorkflowId(id), inboundEmailWorkflowId(replyId), threadId];
  for (const workflowId of workflowIds) {
    const raw = Buffer.concat([await rawHistory(workflowId), await rawDescription(workflowId)]);
    const found = Object.entries(secrets).filter(([, text]) => raw.includes(Buffer.from(text, 'utf8'))).map(([what]) => what);
    expect({ workflowId, found }).toEqual({ workflowId, found: [] });
  }

  // Search attributes are not encrypted: the sender is there only as its keyed hash. (The memo is
  // encrypted: a client without the codec cannot even describe the workflow.)
  await expect(new Client({ connection: plain }).workflow.getHandle(inboundEmailWorkflowId(id)).describe()).rejects.toThrow('Unknown encoding: binary/encrypted');
  const description = await (await stack.ctx.temporal()).workflow.getHandle(inboundEmailWorkflowId(id)).describe();
  expect(description.typedSearchAttributes.get(EMAIL_SENDER)).toBe(senderHash(stack.ctx.config.customerData.hashKey, address));

  // The same history through the operator's codec is all there: the raw bytes above were encrypted, not missing.
  const decoded = await (await stack.ctx.temporal()).workflow.getHandle(inboundEmailWorkflowId(id)).fetchHistory();
  await codeHistoryPayloads(decoded, new EncryptionCodec(stack.ctx.config.customerData.payloadKeys), 'decode');
  expect(Buffer.from(temporal.api.history.v1.History.encode(decoded).finish()).includes(Buffer.from(address))).toBe(true);
  const threadDecoded = await (await stack.ctx.temporal()).workflow.getHandle(threadId).fetchHistory();
  await codeHistoryPayloads(threadDecoded, new EncryptionCodec(stack.ctx.config.customerData.payloadKeys), 'decode');
  const threadText = Buffer.from(temporal.api.history.v1.History.encode(threadDecoded).finish());
  expect(threadText.includes(Buffer.from(comment))).toBe(true);

  // The encrypted history, as stored, replays with the worker's codec.
  const encrypted = await (await stack.ctx.temporal()).workflow.getHandle(inboundEmailWorkflowId(id)).fetchHistory();
  const workflowBundle = { codePath: join(__dirname, '..', '..', 'lib', 'workflow-bundle.js') };
  await expect(
    Worker.runReplayHistory({ workflowBundle, dataConverter: encryptingDataConverter(stack.ctx.config.customerData.payloadKeys) }, encrypted, inboundEmailWorkflowId(id)),
  ).resolves.toBeUndefined();
});
