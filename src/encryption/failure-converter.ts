// Failure messages and stack traces go through the payload codec too: an activity's error may name an
// address (SES refusing a recipient) or carry a parser's message about the email. Loaded by path, as
// the SDK requires of a failure converter (the worker and clients; histories with plain failures
// still decode).
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
