// What SES's mailbox simulator does with its addresses, as events: bounce@ bounces, complaint@ is
// delivered and then complained about, suppressionlist@ is refused as on the account's suppression list,
// ooto@ and every other address are delivered. A "+label" before the @ is ignored, as SES does.
import { BOUNCES, BounceSpec } from './ses-events';

export const SIMULATOR_DOMAIN = 'simulator.amazonses.com';

export type Outcome = { kind: 'delivery' } | { kind: 'bounce'; bounce: BounceSpec } | { kind: 'delivery-then-complaint' };

export function simulatedOutcome(address: string): Outcome {
  const lower = address.toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 0 || lower.slice(at + 1) !== SIMULATOR_DOMAIN) return { kind: 'delivery' };
  const local = lower.slice(0, at).split('+')[0];
  switch (local) {
    case 'bounce':
      return { kind: 'bounce', bounce: BOUNCES.userUnknown };
    case 'suppressionlist':
      return { kind: 'bounce', bounce: BOUNCES.onSuppressionList };
    case 'complaint':
      return { kind: 'delivery-then-complaint' };
    default:
      return { kind: 'delivery' };
  }
}
