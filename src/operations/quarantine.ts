// An admin's decisions on quarantined email (CLI and admin page): release, release and allowlist the
// sender, discard. Each is a signal to the email's waiting workflow.
import { Client } from '@temporalio/client';
import { Pool } from 'pg';
import { emailStatus } from './email-status';
import { addToAllowlist } from '../db/directory';
import { getInboundEmail, InboundEmailRecord } from '../db/inbound-emails';
import { normaliseAddress } from '../domain/participants';
import { Refusal } from '../domain/refusal';
import { inboundEmailWorkflowId, isValidSesMessageId } from '../domain/workflow-ids';
import { discardSignal, releaseSignal } from '../workflows';

async function requireQuarantined(client: Client, id: string): Promise<void> {
  // No SES message id looks like this: nothing to look up (and no workflow id to make of it).
  if (!isValidSesMessageId(id)) throw new Refusal('not-found', `No email ${JSON.stringify(id.slice(0, 80))}`);
  const status = await emailStatus(client, id);
  if (status.workflowStatus === 'NOT_FOUND') throw new Refusal('not-found', `No email ${id}`);
  if (status.stage !== 'quarantined') throw new Refusal('conflict', `${id} is not in quarantine (stage ${status.stage})`);
}

export interface ReleaseOptions {
  /** Needed for mail SES found a virus in. */
  override?: boolean;
  /** Also add the sender to the allowlist (the "common false positive" of a new monitoring system). */
  allowlistSender?: boolean;
}

export async function releaseQuarantined(client: Client, pool: Pool, id: string, options: ReleaseOptions = {}): Promise<string[]> {
  await requireQuarantined(client, id);
  const record = await getInboundEmail(pool, id);
  if (record?.verdicts?.virus === 'FAIL' && !options.override) {
    throw new Refusal('conflict', `${id} failed the virus scan: releasing it needs an explicit override`);
  }
  const done: string[] = [];
  if (options.allowlistSender) done.push(`allowlisted ${await addToAllowlist(pool, allowlistableSender(id, record))}`);
  await client.workflow.getHandle(inboundEmailWorkflowId(id)).signal(releaseSignal, { override: Boolean(options.override) });
  done.push(`released ${id}`);
  return done;
}

/**
 * Exactly the sender's full address, and only when SES authenticated it: a forged From would otherwise
 * allowlist its victim, and a domain-shaped From ('<@example.com>') the victim's whole domain. Domain
 * entries are added by an admin on purpose (`allowlist add`), never by a release.
 */
function allowlistableSender(id: string, record: InboundEmailRecord | null): string {
  const address = normaliseAddress(record?.sender);
  if (address === null) throw new Refusal('conflict', `${id} has no sender address to allowlist: release it without allowlisting`);
  if (record?.senderAuthenticated !== true) {
    const why = record?.senderAuthentication ? ` (${record.senderAuthentication})` : '';
    throw new Refusal('conflict', `${id}: the sender ${address} was not authenticated${why}, so it is not allowlisted: release it without allowlisting`);
  }
  return address;
}

export async function discardQuarantined(client: Client, id: string, reason?: string): Promise<void> {
  await requireQuarantined(client, id);
  await client.workflow.getHandle(inboundEmailWorkflowId(id)).signal(discardSignal, { reason });
}
