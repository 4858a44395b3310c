// Failure types that retrying cannot fix. Activities throw them non-retryable; the workflow turns each
// into a recorded outcome (quarantine or failure with a reason), never an endless retry loop.
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
