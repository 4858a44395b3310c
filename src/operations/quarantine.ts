// An admin's decisions on quarantined email (CLI and admin page): release, release and allowlist the
// sender, discard. Each is a signal to the email's waiting workflow.
import { Client } from '@temporalio/client';
import { Pool } from 'pg';
import { emailStatus } from './email-status';
import { addToAllowlist } from '../db/directory';
import { getInboundEmail } from '../db/inbound-emails';
import { Refusal } from '../domain/refusal';
import { inboundEmailWorkflowId } from '../domain/workflow-ids';
import { discardSignal, releaseSignal } from '../workflows';

async function requireQuarantined(client: Client, id: string): Promise<void> {
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
  if (options.allowlistSender) {
    if (!record?.sender) throw new Refusal('conflict', `${id} has no sender address to allowlist`);
    done.push(`allowlisted ${await addToAllowlist(pool, record.sender)}`);
  }
  await client.workflow.getHandle(inboundEmailWorkflowId(id)).signal(releaseSignal, { override: Boolean(options.override) });
  done.push(`released ${id}`);
  return done;
}

export async function discardQuarantined(client: Client, id: string, reason?: string): Promise<void> {
  await requireQuarantined(client, id);
  await client.workflow.getHandle(inboundEmailWorkflowId(id)).signal(discardSignal, { reason });
}
