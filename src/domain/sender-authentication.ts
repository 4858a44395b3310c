// The one rule that says whether a sender is who the From header claims: every decision that trusts a
// sender (reporter match, confirmation, participants, reply permission, state changes, allowlist) asks
// it. The From header is written by strangers; only SES's checks of the domain can vouch for it.
//
// Authenticated = DMARC pass, or, where the From domain publishes no DMARC policy (SES's GRAY), an SPF
// or DKIM pass for a domain aligned with the From domain (RFC 7489 relaxed alignment: the same
// organisational domain, by the Public Suffix List). SPF or DKIM passing for some other domain proves
// nothing about the From address; a DMARC FAIL, or a check SES could not run, is never authenticated.
// docs/sender-authentication.md says where SES gives each of these values.
import { getDomain } from 'tldts';
import type { SesVerdicts } from './types';

export interface SenderEvidence {
  /** The From address (already a valid mailbox), or null. */
  from: string | null;
  verdicts: Pick<SesVerdicts, 'spf' | 'dkim' | 'dmarc'>;
  /** The envelope MAIL FROM that SPF was checked for (an address or a bare domain), if SES said. */
  mailFrom?: string | null;
  /** Signing domains of the DKIM signatures that passed. */
  dkimDomains?: readonly string[];
  /** The From domain SES's DMARC check was for (header.from), when SES said. */
  dmarcFrom?: string | null;
}

export interface SenderAuthentication {
  authenticated: boolean;
  /** Why, in words an admin reads on the email: 'DMARC pass', 'SPF pass aligned with example.com'. */
  reason: string;
}

/** More DKIM domains than this are not looked at (a message may carry any number of signatures). */
const DKIM_DOMAINS_MAX = 10;

export function authenticateSender(evidence: SenderEvidence): SenderAuthentication {
  const fromDomain = domainOf(evidence.from);
  if (fromDomain === null) return { authenticated: false, reason: 'no sender address' };
  const { spf, dkim, dmarc } = evidence.verdicts;
  // SES judged the From it read; if that is not the From we read, its verdict says nothing about ours.
  const dmarcFrom = domainOf(evidence.dmarcFrom);
  if (dmarcFrom !== null && dmarcFrom !== fromDomain) return { authenticated: false, reason: `SES checked another From domain (${dmarcFrom})` };
  // DMARC passes only on an aligned SPF or DKIM pass; a verdict set that says otherwise is not believed.
  if (dmarc === 'PASS') {
    return spf === 'PASS' || dkim === 'PASS' ? { authenticated: true, reason: 'DMARC pass' } : { authenticated: false, reason: 'DMARC pass without an SPF or DKIM pass' };
  }
  if (dmarc === 'FAIL') return { authenticated: false, reason: 'DMARC fail' };
  if (dmarc !== 'GRAY') return { authenticated: false, reason: `DMARC ${dmarc ?? 'missing'}: not checked` };

  // No DMARC policy published: an aligned SPF or DKIM pass is what DMARC itself would have asked for.
  const spfDomain = domainOf(evidence.mailFrom);
  if (spf === 'PASS' && spfDomain !== null && aligned(spfDomain, fromDomain)) {
    return { authenticated: true, reason: `SPF pass aligned with ${fromDomain}` };
  }
  const dkimDomains = (evidence.dkimDomains ?? []).slice(0, DKIM_DOMAINS_MAX).map(domainOf);
  if (dkim === 'PASS' && dkimDomains.some((d) => d !== null && aligned(d, fromDomain))) {
    return { authenticated: true, reason: `DKIM pass aligned with ${fromDomain}` };
  }
  return { authenticated: false, reason: `no DMARC policy, and no SPF or DKIM pass aligned with ${fromDomain}` };
}

/** RFC 7489 relaxed alignment: both domains have the same organisational domain. */
export function aligned(a: string, b: string): boolean {
  if (a === b) return true;
  const orgA = organisationalDomain(a);
  return orgA !== null && orgA === organisationalDomain(b);
}

/**
 * 'mail.example.co.uk' -> 'example.co.uk'. Private suffixes count (github.io, herokuapp.com): two
 * customers of one hosting domain are two organisations. Null for an IP address or a bare suffix.
 */
function organisationalDomain(domain: string): string | null {
  return getDomain(domain, { allowPrivateDomains: true }) ?? null;
}

/** 'Anna@Mail.Example.com' or '@example.com' or 'example.com.' -> 'mail.example.com' / 'example.com'. */
function domainOf(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  const at = value.lastIndexOf('@');
  const domain = value.slice(at + 1).trim().toLowerCase().replace(/\.$/, '');
  if (domain.length === 0 || domain.length > 253 || !/^[a-z0-9.-]+$/.test(domain) || !domain.includes('.')) return null;
  return domain;
}
