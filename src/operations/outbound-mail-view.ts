// What the agent sees of the mail we sent on an incident (CLI `incident show`, admin page, API): each
// message with each recipient's delivery status from SES's events (and from a mail server's bounce that
// came to our inbound address), and the suppressions that stop automatic mail to the incident's
// addresses, with why.
import { Pool } from 'pg';
import type { IncidentView } from '../db/incidents';
import { listSuppressedAmong, OutboundDelivery, outboundDeliveries, SuppressedRecipient } from '../db/delivery-events';
import { deliveryStatus, DeliveryStatus } from '../domain/delivery-events';

export interface OutboundMailView extends OutboundDelivery {
  /** Each recipient the events name (the first recipient at least), with how far its mail went. */
  recipients: { address: string; status: DeliveryStatus }[];
}

export interface IncidentMail {
  outboundMail: OutboundMailView[];
  /** Addresses of this incident that get no automatic mail, and why. */
  suppressedAddresses: SuppressedRecipient[];
}

/** The incident with its mail: what `incident show --json` and the API answer. */
export async function withIncidentMail(pool: Pool, incident: IncidentView): Promise<IncidentView & IncidentMail> {
  const addresses = [incident.sender.address, ...(incident.reporter?.email ? [incident.reporter.email] : [])];
  return { ...incident, ...(await incidentMail(pool, incident.number, addresses)) };
}

export async function incidentMail(pool: Pool, incidentNumber: string, addresses: string[]): Promise<IncidentMail> {
  const messages = await outboundDeliveries(pool, incidentNumber);
  const outboundMail = messages.map((m) => {
    const named = new Set([m.recipient, ...m.events.flatMap((e) => e.recipients)]);
    const recipients = [...named].map((address) => ({
      address,
      status: deliveryStatus(m.sentAt !== null, m.events.filter((e) => e.type === 'send' || e.recipients.includes(address))),
    }));
    return { ...m, recipients };
  });
  const all = [...new Set([...addresses.map((a) => a.toLowerCase()), ...outboundMail.flatMap((m) => m.recipients.map((r) => r.address))])];
  return { outboundMail, suppressedAddresses: await listSuppressedAmong(pool, all) };
}

/** One line per recipient, for the CLI and the admin page. */
export function describeRecipient(r: { address: string; status: DeliveryStatus }, suppressed: SuppressedRecipient[]): string {
  const s = suppressed.find((x) => x.address === r.address);
  return `${r.address}: ${r.status}${s ? ` (no automatic mail: ${s.detail}, since ${s.suppressedAt})` : ''}`;
}

/** What an event with words of its own says (a bounce's diagnostic, a complaint's type); null for the others. */
export function describeEvent(e: OutboundDelivery['events'][number]): string | null {
  if (!e.detail || e.type === 'delivery' || e.type === 'send') return null;
  return `${e.type}${e.source === 'report' ? " (the mail server's report to us)" : ''}: ${e.detail}`;
}
