// Failure types that retrying cannot fix. Activities throw them non-retryable; the workflow turns each
// into a recorded outcome (quarantine or failure with a reason), never an endless retry loop.
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { OutboundResult } from './inbound-steps';

export const PermanentFault = {
  /** The raw email is larger than MAX_RAW_EMAIL_BYTES. */
  EmailTooLarge: 'EmailTooLarge',
  /** mailparser could not make sense of the raw MIME. */
  UnparseableEmail: 'UnparseableEmail',
  /** The S3 object the notification names does not exist. */
  RawEmailMissing: 'RawEmailMissing',
  /** SES refused one of our emails (an unverified recipient in the sandbox, an invalid address). */
  OutboundRejected: 'OutboundRejected',
} as const;

export type PermanentFaultType = (typeof PermanentFault)[keyof typeof PermanentFault];

export const PERMANENT_FAULT_TYPES: string[] = Object.values(PermanentFault);

/**
 * The work's result, or, when it failed with a permanent fault, what `onFault` makes of that fault. Any
 * other failure is thrown on (a transient one is retried). The workflow and the direct pipeline both
 * turn a parse that cannot succeed and a refused confirmation into results this way.
 */
export async function orPermanentFault<T>(work: () => Promise<T>, onFault: (fault: { type: string; message: string }) => T): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const fault = permanentFault(err);
    if (!fault) throw err;
    return onFault(fault);
  }
}

/** Our mail, or, when SES refused it, the refusal as a result (recorded as the reason, not retried). */
export const sentOrRefused = (send: () => Promise<OutboundResult>): Promise<OutboundResult> => orPermanentFault(send, (fault) => ({ sent: false, reason: fault.message }));

/** The permanent fault an activity failed with (seen from a workflow or called directly), or null. */
export function permanentFault(err: unknown): { type: string; message: string } | null {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type && PERMANENT_FAULT_TYPES.includes(cause.type)) {
    return { type: cause.type, message: cause.message };
  }
  return null;
}
