// What the inbound-email workflow needs to decide whether an email joins a thread: which incidents its
// clues name, and who may speak on them. The decision itself is the workflow's (domain/reply-detection).
import { findIncidentByExternalNumbers } from '../db/external-numbers';
import { isExternalNumber } from '../domain/external-ticket-numbers';
import { findIncidentByMessageIds, incidentExists, threadPeople } from '../db/threads';
import { ThreadCandidates, ThreadPeople } from '../domain/inbound-steps';
import { ReplyClues } from '../domain/types';
import { ActivityDeps } from './deps';
import { sesThreadKey } from './outbound-mail';
import { directoryOf } from './user-directory';

export function createThreadLookup(deps: ActivityDeps) {
  const { pool } = deps;
  const directory = directoryOf(deps);
  async function firstExisting(numbers: string[]): Promise<string | null> {
    for (const number of numbers) if (await incidentExists(pool, number)) return number;
    return null;
  }
  return {
    async findThreadCandidates(input: { clues: ReplyClues }): Promise<ThreadCandidates> {
      const { clues } = input;
      const ids = [...clues.messageIds, ...clues.sesIds.map(sesThreadKey)];
      const found = {
        byMessageId: await findIncidentByMessageIds(pool, ids),
        // Our own Message-IDs are unguessable; a customer's may be quoted by anyone who saw it.
        byOurMessageId: await findIncidentByMessageIds(pool, ids, 'outbound'),
        byWatermark: await firstExisting(clues.watermarkNumbers),
        bySubject: clues.subjectNumber ? await firstExisting([clues.subjectNumber]) : null,
        // Only mail carrying other helpdesks' numbers asks (lookups of other mail keep their shape).
        ...(clues.externalNumbers?.length ? { byExternalNumber: await findIncidentByExternalNumbers(pool, clues.externalNumbers.filter(isExternalNumber)) } : {}),
      };
      const people: Record<string, ThreadPeople> = {};
      for (const number of new Set(Object.values(found).filter((n): n is string => n !== null))) {
        const p = await threadPeople(pool, number);
        if (p) people[number] = p;
      }
      return { found, people, agents: Object.keys(people).length ? await directory.agents() : [] };
    },
  };
}
