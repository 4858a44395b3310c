// Rule family 2: challenge-response systems. A sender-verification service (Boxbe, Bluebottle,
// BoxTrapper, TMDA, ...) answers a mail from an unknown sender with "click here to be let through".
// Answering it back would confirm our address to a machine and can loop, so it is an auto-reply.
// Recognised by the marks those systems put on their challenges (the ones SpamAssassin's
// challenge-response rules and Mail::DeliveryStatus::BounceParser use), never by body text:
//   - a vendor header: X-Bluebottle-Request, X-Boxtrapper, X-AskVersion (ASK), X-Spamazoid-MD;
//   - TMDA: X-Delivery-Agent starting with TMDA, or a Message-ID ending in -tmda-confirm>;
//   - a From domain that only sends challenges: boxbe.com, spamarrest.com (or a subdomain).
import { firstToken, type MailKindRule } from './facts';

const VENDOR_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['x-bluebottle-request', 'X-Bluebottle-Request'],
  ['x-boxtrapper', 'X-Boxtrapper'],
  ['x-askversion', 'X-AskVersion'],
  ['x-spamazoid-md', 'X-Spamazoid-MD'],
];
const VENDOR_DOMAINS: readonly string[] = ['boxbe.com', 'spamarrest.com'];

export const challengeResponse: MailKindRule = (mail) => {
  for (const [name, shown] of VENDOR_HEADERS) {
    if (mail.has(name)) return { kind: 'auto-reply', reason: `challenge-response (${shown} header)` };
  }
  if (mail.values('x-delivery-agent').some((v) => firstToken(v).startsWith('tmda'))) return { kind: 'auto-reply', reason: 'challenge-response (TMDA)' };
  if (mail.values('message-id').some((v) => v.trim().toLowerCase().endsWith('-tmda-confirm>'))) return { kind: 'auto-reply', reason: 'challenge-response (TMDA)' };
  const domain = mail.fromDomain;
  const vendor = domain === null ? undefined : VENDOR_DOMAINS.find((d) => domain === d || domain.endsWith(`.${d}`));
  if (vendor) return { kind: 'auto-reply', reason: `challenge-response (sender @${vendor})` };
  return null;
};
