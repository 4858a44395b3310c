// What each email of the fault run's mix must become, and what it became: the comparison is pure (the
// observations are read by checks.ts) so that unit tests can show which outcome passes and which fails.
// No excuse is accepted: an outage, a rate limit or an SES refusal that leaves a new email without its
// confirmation is a failure, because nothing in the mix asks for one.
import { BenchEmail } from '../bench/email-mix';

/** new: one incident and one confirmation; reply: one comment on the parent's incident and no incident. */
export type Expectation = { kind: 'new' } | { kind: 'reply'; parent: number };

export function expectationOf(email: BenchEmail): Expectation {
  switch (email.kind) {
    case 'plain':
    case 'html':
    case 'attachments':
    case 'large':
      return { kind: 'new' };
    case 'reply':
      return { kind: 'reply', parent: email.parent! };
  }
}

/** What the run found for one email. */
export interface Observed {
  /** Why the email never reached SES's queue (undefined when it did). */
  deliveryError?: string;
  stage: string | null;
  reason: string | null;
  /** The incident its inbound_emails row names. */
  stageIncident: string | null;
  /** Incidents made from this email. */
  incidentsMade: string[];
  /** Incidents that hold a comment made from this email. */
  commentedOn: string[];
}

/** What SES accepted for one incident: distinct messages (Message-IDs) and sends. */
export interface Mailed {
  messages: number;
  sends: number;
}

export interface EmailVerdict {
  index: number;
  kind: Expectation['kind'];
  problems: string[];
  /** The same confirmation sent twice with one Message-ID (a worker killed between SES accepting it and our recording it). */
  resent: boolean;
}

const stageText = (o: Observed) => `${o.stage ?? 'no stage'}${o.reason ? ` (${o.reason})` : ''}`;
const list = (numbers: string[]) => (numbers.length ? numbers.join(', ') : 'none');

export function compareEmail(index: number, expectation: Expectation, observed: Observed, parent: Observed | null, mailed: (incident: string) => Mailed): EmailVerdict {
  const problems: string[] = [];
  let resent = false;
  if (observed.deliveryError !== undefined) {
    return { index, kind: expectation.kind, problems: [`never delivered: ${observed.deliveryError}`], resent };
  }
  if (expectation.kind === 'new') {
    if (observed.stage !== 'confirmed') problems.push(`${stageText(observed)}, expected confirmed`);
    if (observed.incidentsMade.length !== 1) problems.push(`incidents ${list(observed.incidentsMade)}, expected one`);
    if (observed.commentedOn.length) problems.push(`a comment on ${list(observed.commentedOn)}, expected none`);
    const incident = observed.incidentsMade[0];
    if (incident !== undefined) {
      if (observed.stageIncident !== incident) problems.push(`recorded on ${observed.stageIncident ?? 'no incident'}, expected ${incident}`);
      const mail = mailed(incident);
      if (mail.messages !== 1) problems.push(`${mail.messages} confirmations of ${incident} accepted by SES, expected one`);
      resent = mail.sends > mail.messages;
    }
  } else {
    const parentIncident = parent?.incidentsMade.length === 1 ? parent.incidentsMade[0] : null;
    if (observed.stage !== 'threaded-as-reply') problems.push(`${stageText(observed)}, expected threaded-as-reply`);
    if (observed.incidentsMade.length) problems.push(`made incident ${list(observed.incidentsMade)}, expected none`);
    if (parentIncident === null) problems.push(`the email it answers (#${expectation.parent}) has no single incident`);
    else {
      if (observed.commentedOn.length !== 1 || observed.commentedOn[0] !== parentIncident) {
        problems.push(`comments on ${list(observed.commentedOn)}, expected one on ${parentIncident}`);
      }
      if (observed.stageIncident !== parentIncident) problems.push(`recorded on ${observed.stageIncident ?? 'no incident'}, expected ${parentIncident}`);
    }
  }
  return { index, kind: expectation.kind, problems, resent };
}

/** Every email of the mix compared with what it must become; `observe` answers for each index. */
export function compareMix(mix: BenchEmail[], observe: (index: number) => Observed, mailed: (incident: string) => Mailed): EmailVerdict[] {
  return mix.map((email) => {
    const expectation = expectationOf(email);
    const parent = expectation.kind === 'reply' ? observe(expectation.parent) : null;
    return compareEmail(email.index, expectation, observe(email.index), parent, mailed);
  });
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** One check per kind of email: how many came out as expected, and the first that did not, with why. */
export function emailChecks(verdicts: EmailVerdict[]): Check[] {
  const names: Record<Expectation['kind'], string> = {
    new: 'every new email: confirmed, one incident, one confirmation accepted by SES',
    reply: "every reply: one comment on its parent's incident, no incident of its own",
  };
  return (['new', 'reply'] as const).map((kind) => {
    const ofKind = verdicts.filter((v) => v.kind === kind);
    const failed = ofKind.filter((v) => v.problems.length > 0);
    const resent = ofKind.filter((v) => v.resent).length;
    const detail = [
      `${ofKind.length - failed.length} of ${ofKind.length} as expected`,
      ...(resent ? [`${resent} sent twice with the same Message-ID`] : []),
      ...(failed.length ? [`failed: ${failed.slice(0, 5).map((v) => `#${v.index} ${v.problems.join('; ')}`).join(' | ')}${failed.length > 5 ? ` | and ${failed.length - 5} more` : ''}`] : []),
    ].join('; ');
    return { name: names[kind], ok: failed.length === 0, detail };
  });
}
