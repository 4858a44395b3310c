// Finding a sender's emails although EmailSender holds only a keyed hash of the address (by default):
// the value is computed from the address with this deployment's key, then searched for.
import { Client } from '@temporalio/client';
import { Config } from '../config';
import { EMAIL_SENDER, EMAIL_STAGE, INCIDENT_NUMBER } from '../domain/search-attributes';
import { INBOUND_EMAIL_WORKFLOW_ID_PREFIX } from '../domain/workflow-ids';
import { searchSenderSetting, senderForSearch } from '../mail/search-sender';
import { inboundEmail } from '../workflows';

/** The visibility query term for a sender's emails: what `status --sender` prints for the UI too. */
export function senderTerm(address: string, config: Pick<Config, 'searchSenderAs' | 'customerData'>): string {
  const value = senderForSearch(address, searchSenderSetting(config));
  if (value === null) throw new Error(`Not a valid mailbox: "${address}"`);
  // A quote in an address (valid in a local part) would end the query's string: such senders are not searchable by address.
  if (/['"\\]/.test(value)) throw new Error(`The address "${address}" cannot be searched for in Temporal (a quote in it): use SEARCH_SENDER_AS=hash`);
  return `${EMAIL_SENDER.name} = '${value}'`;
}

export interface SenderEmail {
  sesMessageId: string;
  workflowId: string;
  startedAt: string;
  workflowStatus: string;
  stage: string | null;
  incidentNumber: string | null;
}

/** The sender's inbound emails, newest first as Temporal lists them (at most `limit`). */
export async function emailsFromSender(client: Client, config: Pick<Config, 'searchSenderAs' | 'customerData'>, address: string, limit = 50): Promise<SenderEmail[]> {
  const found: SenderEmail[] = [];
  const query = `WorkflowType = '${inboundEmail.name}' AND ${senderTerm(address, config)}`;
  for await (const execution of client.workflow.list({ query })) {
    found.push({
      sesMessageId: execution.workflowId.slice(INBOUND_EMAIL_WORKFLOW_ID_PREFIX.length),
      workflowId: execution.workflowId,
      startedAt: execution.startTime.toISOString(),
      workflowStatus: execution.status.name,
      stage: execution.typedSearchAttributes.get(EMAIL_STAGE) ?? null,
      incidentNumber: execution.typedSearchAttributes.get(INCIDENT_NUMBER) ?? null,
    });
    if (found.length >= limit) break;
  }
  return found;
}
