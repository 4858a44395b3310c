// An incident's participants as agents manage them (CLI, admin page, API): list, add, remove. The thread
// reads the same rows: a participant gets agent comments in copy (domain/comment-recipients) and may speak
// on the thread (domain/thread-permission); a removed one does neither.
import { Pool } from 'pg';
import { isIncidentNumber } from '../domain/incident-number';
import { participantAddress, participantName, PARTICIPANTS_MAX } from '../domain/participants';
import { Refusal } from '../domain/refusal';
import { addParticipantByAgent, listParticipants, Participant, removeParticipant, threadPeople } from '../db/threads';

export type { Participant };

/** The incident's participants; refused (not-found) for an unknown incident. */
export async function incidentParticipants(pool: Pool, incidentNumber: string): Promise<Participant[]> {
  const list = isIncidentNumber(incidentNumber) ? await listParticipants(pool, incidentNumber) : null;
  if (list === null) throw new Refusal('not-found', `No incident ${incidentNumber}`);
  return list;
}

/** Who owns the incident (the reporter, the original sender) and cannot be removed from it, each with the reason. */
export async function incidentOwners(pool: Pool, incidentNumber: string): Promise<Map<string, string>> {
  const people = isIncidentNumber(incidentNumber) ? await threadPeople(pool, incidentNumber) : null;
  if (!people) throw new Refusal('not-found', `No incident ${incidentNumber}`);
  const out = new Map<string, string>();
  if (people.senderAddress) out.set(people.senderAddress.toLowerCase(), 'they sent the email that opened the incident and own it');
  if (people.reporterEmail) out.set(people.reporterEmail.toLowerCase(), 'they are the reporter and own the incident');
  return out;
}

export interface AddParticipantRequest {
  incidentNumber: string;
  address: unknown;
  name?: unknown;
  /** The agent who adds them: recorded as 'added by <agent>'. */
  agent: string;
}

/** Adds a participant; the address is normalised and checked. Whether they joined (false: already one). */
export async function addIncidentParticipant(pool: Pool, ticketAddress: string, request: AddParticipantRequest): Promise<{ address: string; added: boolean }> {
  const address = participantAddress(request.address, ticketAddress);
  if ('error' in address) throw new Refusal('invalid', address.error);
  const name = participantName(request.name);
  if ('error' in name) throw new Refusal('invalid', name.error);
  const current = await incidentParticipants(pool, request.incidentNumber);
  const there = current.some((p) => p.address === address.value);
  if (!there && current.length >= PARTICIPANTS_MAX) {
    throw new Refusal('conflict', `${request.incidentNumber} has ${current.length} participants, the most it may have: remove one first`);
  }
  const agent = request.agent.trim().slice(0, 100) || 'an agent';
  const added = await addParticipantByAgent(pool, request.incidentNumber, address.value, name.value, `added by ${agent}`);
  return { address: address.value, added };
}

/** Removes a participant; the reporter and the original sender are refused, as is an address that is none. */
export async function removeIncidentParticipant(pool: Pool, incidentNumber: string, rawAddress: unknown, agent: string): Promise<string> {
  const address = typeof rawAddress === 'string' && !/[\r\n]/.test(rawAddress) ? rawAddress.trim().replace(/^<(.*)>$/, '$1').trim().toLowerCase() : null;
  if (!address) throw new Refusal('invalid', 'The address is missing or not one line');
  const owner = (await incidentOwners(pool, incidentNumber)).get(address);
  if (owner) throw new Refusal('conflict', `${address} cannot be removed: ${owner}`);
  const removed = await removeParticipant(pool, incidentNumber, address.slice(0, 1000), agent.trim().slice(0, 100) || 'an agent');
  if (!removed) throw new Refusal('not-found', `${address} is not a participant of ${incidentNumber}`);
  return address;
}
