// Runs the decision order (inbound-decision.ts) with a performer for each step: the workflow's
// (activities, a durable quarantine wait) or the direct pipeline's (the same functions called in turn).
// No I/O of its own, and deterministic given the performer's results, so it runs inside a workflow.
import { decideNextStep, InboundFacts, InboundStep, InboundStepName, InboundStepResults, withResult } from './inbound-decision';
import type { EmailOutcome } from './inbound-steps';

export type InboundStepPerformer = {
  [K in InboundStepName]: (step: Extract<InboundStep, { step: K }>) => Promise<InboundStepResults[K]>;
};

/** Every step adds one fact, so an email needs at most a dozen; more means a bug, and it must not spin. */
const MAX_STEPS = 20;

/** Runs from the first facts (the notice, and the settings the decision takes) to the outcome. */
export async function runInboundEmail(
  start: Pick<InboundFacts, 'notice' | 'unauthenticatedConfirmation' | 'alertHandling' | 'senderPolicy'>,
  perform: InboundStepPerformer,
): Promise<EmailOutcome> {
  const { notice } = start;
  let facts: InboundFacts = { ...start };
  for (let taken = 0; taken <= MAX_STEPS; taken++) {
    const next = decideNextStep(facts);
    if (next.step === 'finish') return next.outcome;
    const run = perform[next.step] as (step: InboundStep) => Promise<InboundStepResults[InboundStepName]>;
    facts = withResult(facts, next.step, await run(next));
  }
  throw new Error(`the decision order took more than ${MAX_STEPS} steps for ${notice.sesMessageId}`);
}
