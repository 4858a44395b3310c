// Version 1's sender trust, frozen with it (domain/sender-authentication.ts is the rule of today).
import type { SesVerdicts } from '../../domain/types';

/**
 * A sender is verified when SPF or DKIM passed, and DMARC passed.
 *
 * Why: the From header is attacker-controlled. Only an authenticated sender is matched to a user
 * directory entry (and so becomes the reporter who may speak on an incident); anyone else is
 * treated as an unknown caller. DMARC is required on top of SPF/DKIM because SPF and DKIM alone
 * can pass for a domain unrelated to the visible From address; DMARC checks that alignment.
 */
export function isSenderVerified(v: SesVerdicts): boolean {
  return (v.spf === 'PASS' || v.dkim === 'PASS') && v.dmarc === 'PASS';
}
