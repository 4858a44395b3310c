// The allowlist: senders an admin trusts enough that their mail is never quarantined as spam
// (a virus still is). Entries are whole addresses ('user@example.com') or domains
// ('example.com' or '@example.com'); a domain entry also covers its subdomains.

import { getDomain } from 'tldts';

export interface AllowlistEntry {
  kind: 'address' | 'domain';
  value: string;
}

// RFC 5321 limits: a whole address fits in 254 characters, a domain in 253, a label in 63.
const MAX_ADDRESS_LENGTH = 254;
const MAX_DOMAIN_LENGTH = 253;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// Dot-atom characters of an unquoted local part (RFC 5322). Quoted local parts are not accepted
// in entries: they are vanishingly rare and an easy way to smuggle odd characters in.
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/**
 * A host name of at least two ASCII labels. One label ('com', 'localhost') is refused: a
 * top-level domain entry would allowlist half the internet. Internationalised domains are
 * written in their xn-- (punycode) form.
 */
function isDomainName(domain: string): boolean {
  if (domain.length === 0 || domain.length > MAX_DOMAIN_LENGTH) return false;
  const labels = domain.split('.');
  return labels.length >= 2 && labels.every((label) => LABEL.test(label));
}

/** Lower-cases and trims an entry and says whether it names an address or a domain. Throws on an invalid entry. */
export function normaliseAllowlistEntry(entry: string): AllowlistEntry {
  if (typeof entry !== 'string') throw new Error('Allowlist entry must be a string');
  const value = entry.trim().toLowerCase();
  const shown = JSON.stringify(entry.length > 80 ? entry.slice(0, 80) + '…' : entry);
  if (value.length === 0) throw new Error('Allowlist entry is empty');
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(value)) {
    throw new Error(`Allowlist entry ${shown} must not contain spaces, line breaks or control characters`);
  }
  const ats = value.split('@').length - 1;
  if (ats > 1) throw new Error(`Allowlist entry ${shown} contains more than one '@'`);

  if (ats === 0 || value.startsWith('@')) {
    const domain = ats === 0 ? value : value.slice(1);
    if (!isDomainName(domain)) {
      throw new Error(`Allowlist entry ${shown} is not a valid domain (expected e.g. example.com or @example.com)`);
    }
    // 'co.uk' or 'github.io' would allowlist every organisation registered under it.
    if (getDomain(domain, { allowPrivateDomains: true }) === null) {
      throw new Error(`Allowlist entry ${shown} is a public suffix, shared by many organisations: name one domain (e.g. example.${domain})`);
    }
    return { kind: 'domain', value: domain };
  }

  const at = value.indexOf('@');
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (value.length > MAX_ADDRESS_LENGTH || !LOCAL_PART.test(local) || local.length > 64 || !isDomainName(domain)) {
    throw new Error(`Allowlist entry ${shown} is not a valid address (expected e.g. user@example.com)`);
  }
  return { kind: 'address', value };
}

/**
 * Whether the sender is allowlisted, case-insensitively. An address entry matches exactly that
 * address; a domain entry matches that domain and its subdomains ('example.com' covers
 * 'a@mail.example.com' but never 'a@badexample.com'). Invalid entries are skipped rather than
 * thrown, so one bad row in the table does not stop mail from flowing; the CLI validates on entry.
 */
export function isAllowlisted(senderAddress: string, entries: string[]): boolean {
  if (typeof senderAddress !== 'string') return false;
  const sender = senderAddress.trim().toLowerCase();
  const at = sender.lastIndexOf('@');
  if (at <= 0) return false;
  const senderDomain = sender.slice(at + 1);
  // A sender whose domain is not a plain host name ("x@evil>.example.com") matches no domain entry.
  const domainUsable = isDomainName(senderDomain);

  for (const raw of entries) {
    let entry: AllowlistEntry;
    try {
      entry = normaliseAllowlistEntry(raw);
    } catch {
      continue;
    }
    if (entry.kind === 'address') {
      if (sender === entry.value) return true;
    } else if (domainUsable && (senderDomain === entry.value || senderDomain.endsWith('.' + entry.value))) {
      return true;
    }
  }
  return false;
}
