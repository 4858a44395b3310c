// What the inbound-email workflow needs to decide whether an email joins a thread: which incidents its
// clues name, and who may speak on them. The decision itself is the workflow's (domain/reply-detection).
import { closedIncident } from '../db/incident-state';
import { findIncidentByMessageIds, incidentExists, threadPeople } from '../db/threads';
import { ClosedIncident, followUpPolicyFor } from '../domain/follow-up-policy';
import { ThreadCandidates, ThreadPeople } from '../domain/inbound-steps';
import { ReplyClues } from '../domain/types';
import { ActivityDeps } from './deps';
import { sesThreadKey } from './outbound-mail';
import { directoryOf } from './user-directory';

export function createThreadLookup(deps: ActivityDeps) {
  const { pool, config } = deps;
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
      };
      const people: Record<string, ThreadPeople> = {};
      const closed: Record<string, ClosedIncident> = {};
      for (const number of new Set(Object.values(found).filter((n): n is string => n !== null))) {
        const p = await threadPeople(pool, number);
        if (p) people[number] = p;
        const done = p?.state === 'closed' ? await closedIncident(pool, number) : null;
        const followUp = done ? followUpPolicyFor(config.followUp, done.assignmentGroup) : null;
        // Only a policy other than reopen is the decision's business: with the default, the lookup is what it always was.
        if (done && followUp && followUp.policy !== 'reopen') closed[number] = { closedAt: done.closedAt?.toISOString() ?? null, followUp };
      }
      const agents = Object.keys(people).length ? await directory.agents() : [];
      return { found, people, agents, ...(Object.keys(closed).length ? { closed, lookedUpAt: new Date().toISOString() } : {}) };
    },
  };
}
