// Rule family 1: ARF feedback reports (RFC 5965). A mailbox provider's report that a recipient marked a
// mail as spam, or an abuse report: `multipart/report; report-type=feedback-report` at the top level (the
// report's message/feedback-report part is inside it). Written by a machine about a mail that was sent,
// so it is kept with the bounces (kind 'bounce'): no incident, never answered.
import type { MailKindRule } from './facts';

export const feedbackReport: MailKindRule = (mail) =>
  mail.contentType === 'multipart/report' && mail.reportType === 'feedback-report' ? { kind: 'bounce', reason: 'feedback report (ARF)' } : null;
