// The agent's side of the conversation (CLI and admin page): comment, send to customer, close, view.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, QueryNotRegisteredError, WorkflowNotFoundError } from '@temporalio/client';
import { Pool } from 'pg';
import { signalIncidentThread } from '../activities/incident-thread';
import { isIncidentNumber } from '../domain/incident-number';
import { Refusal } from '../domain/refusal';
import { AGENT_COMMENT_MAX_CHARS, ThreadView } from '../domain/thread-events';
import { incidentThreadWorkflowId } from '../domain/workflow-ids';
import { commentDelivery, incidentExists } from '../db/threads';
import { threadQuery } from '../workflows';

async function requireIncident(pool: Pool, incidentNumber: string): Promise<void> {
  if (!isIncidentNumber(incidentNumber) || !(await incidentExists(pool, incidentNumber))) throw new Refusal('not-found', `No incident ${incidentNumber}`);
}

export interface CommentRequest {
  incidentNumber: string;
  body: string;
  author: string;
  sendToCustomer: boolean;
  /** Wait for the customer's answer: only with sendToCustomer (one cannot wait on a question never sent). */
  awaitingCustomer?: boolean;
  /** Makes a retried request harmless: the thread handles one id once. */
  id?: string;
}

export async function addAgentComment(client: Client, pool: Pool, taskQueue: string, request: CommentRequest): Promise<string> {
  await requireIncident(pool, request.incidentNumber);
  const body = request.body.trim();
  if (!body) throw new Refusal('invalid', 'The comment is empty');
  if (body.length > AGENT_COMMENT_MAX_CHARS) throw new Refusal('invalid', `The comment has ${body.length} characters; at most ${AGENT_COMMENT_MAX_CHARS}`);
  if (request.awaitingCustomer && !request.sendToCustomer) throw new Refusal('invalid', 'Waiting for the customer needs Send to Customer: they can only answer a comment they got');
  const id = request.id ?? randomUUID();
  await signalIncidentThread(client, taskQueue, request.incidentNumber, {
    type: 'agent-comment',
    id,
    author: request.author,
    body,
    sendToCustomer: request.sendToCustomer,
    // Set only when true: a comment that waits for no one is the signal it always was.
    ...(request.awaitingCustomer ? { awaitingCustomer: true } : {}),
  });
  return id;
}

/** Waits until the thread has stored the comment (and emailed it, when it was to be sent). */
export async function waitForComment(pool: Pool, id: string, sendToCustomer: boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const delivery = await commentDelivery(pool, id);
    if (delivery && (!sendToCustomer || delivery.sentToCustomer)) return;
    if (delivery?.sendFailure) throw new Error(`Comment ${id} was stored but not sent: ${delivery.sendFailure}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Comment ${id} not ${sendToCustomer ? 'sent' : 'stored'} after ${Math.round(timeoutMs / 1000)} s`);
}

export async function closeIncident(client: Client, pool: Pool, taskQueue: string, incidentNumber: string): Promise<void> {
  await requireIncident(pool, incidentNumber);
  await signalIncidentThread(client, taskQueue, incidentNumber, { type: 'close', id: randomUUID() });
}

export async function threadView(client: Client, incidentNumber: string): Promise<ThreadView> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.workflow.getHandle(incidentThreadWorkflowId(incidentNumber)).query(threadQuery);
    } catch (err) {
      // The thread workflow starts with the incident's first reply or comment: before that, it is empty.
      if (err instanceof WorkflowNotFoundError) return { incidentNumber, total: 0, closed: false, recent: [], pending: 0 };
      // A run started a moment ago has not run its first task, which registers the query: ask again shortly.
      if (err instanceof QueryNotRegisteredError && attempt < 10) {
        await sleep(200);
        continue;
      }
      throw err;
    }
  }
}
