// An SQS message body fed by an SNS topic: the SNS envelope's Message, or, with raw message delivery,
// the body itself. Never throws.
import { isJsonObject } from '../domain/json-object';

export type Unwrapped =
  | { kind: 'payload'; payload: unknown }
  /** SNS's own messages about the subscription: not an error, nothing to do. */
  | { kind: 'ignore'; reason: string }
  | { kind: 'malformed'; reason: string };

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function unwrapSnsMessage(body: string | undefined): Unwrapped {
  if (!body) return { kind: 'malformed', reason: 'empty message body' };
  const outer = parseJson(body);
  if (outer === undefined) return { kind: 'malformed', reason: 'message body is not JSON' };
  if (isJsonObject(outer) && typeof outer.Type === 'string' && 'TopicArn' in outer) {
    if (outer.Type === 'SubscriptionConfirmation' || outer.Type === 'UnsubscribeConfirmation') {
      return { kind: 'ignore', reason: `SNS ${outer.Type}` };
    }
    if (outer.Type !== 'Notification' || typeof outer.Message !== 'string') {
      return { kind: 'malformed', reason: `SNS envelope of type ${String(outer.Type).slice(0, 40)} without a Message` };
    }
    const inner = parseJson(outer.Message);
    if (inner === undefined) return { kind: 'malformed', reason: 'SNS Message is not JSON' };
    return { kind: 'payload', payload: inner };
  }
  // Raw message delivery: the notification itself is the body.
  return { kind: 'payload', payload: outer };
}
