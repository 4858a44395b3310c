// A request refused for what it asks (an unknown item, the wrong state, an invalid value): the caller's
// mistake, not a fault of ours. The admin page and the API answer it 4xx with its message; anything
// else thrown is a fault (500, message kept in the log).

export type RefusalKind = 'invalid' | 'not-found' | 'conflict';

export class Refusal extends Error {
  override name = 'Refusal';
  constructor(
    readonly kind: RefusalKind,
    message: string,
  ) {
    super(message);
  }
}
