// What SES wrote on top of a stored message: its verdicts (X-SES-*-Verdict) and its
// Authentication-Results, which also names the domains it checked (docs/sender-authentication.md):
//   amazonses.com; spf=pass (spfCheck: ...) client-ip=192.0.2.1; envelope-from=anna@example.com;
//     helo=mail.example.com; dkim=pass header.i=@example.com; dmarc=none header.from=example.com;
// Only the topmost occurrence of each header is read: SES writes its headers above the message's own,
// so anything below may be forged by the sender.
import { VERDICT_STATUSES, type AuthenticatedDomains, type SesVerdicts, type VerdictStatus } from '../domain/types';

/** The authserv-id SES writes; an Authentication-Results header on top from anyone else is not SES's. */
export const SES_AUTHSERV_ID = 'amazonses.com';

const SES_VERDICTS: ReadonlySet<string> = new Set(VERDICT_STATUSES);
/** A message may carry any number of signatures; a few are enough to find one aligned with From. */
const DKIM_DOMAINS_MAX = 5;
const DOMAIN = /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/;

/** SES verdicts from the stored message's topmost headers; absent ones omitted. */
export function headerVerdictsFrom(headers: Record<string, string[]>): Partial<SesVerdicts> {
  const verdicts: Partial<SesVerdicts> = {};
  const spam = sesVerdict(headers['x-ses-spam-verdict']?.[0]);
  if (spam) verdicts.spam = spam;
  const virus = sesVerdict(headers['x-ses-virus-verdict']?.[0]);
  if (virus) verdicts.virus = virus;
  for (const result of sesResults(headers)) {
    const status = authResultStatus(result.value);
    // One signature passing is a DKIM pass; otherwise the first result stands.
    if (verdicts[result.method] === undefined || (result.method === 'dkim' && status === 'PASS')) verdicts[result.method] = status;
  }
  return verdicts;
}

/** The envelope MAIL FROM domain SES checked SPF for, the domains of the DKIM signatures that passed, and the From domain DMARC was checked for. */
export function authenticatedDomainsFrom(headers: Record<string, string[]>): AuthenticatedDomains {
  let mailFrom: string | null = null;
  let dmarcFrom: string | null = null;
  const dkim: string[] = [];
  for (const result of sesResults(headers)) {
    if (result.method === 'spf' && mailFrom === null) {
      mailFrom = domainOf(result.properties['smtp.mailfrom'] ?? result.properties['envelope-from']);
    }
    if (result.method === 'dmarc' && dmarcFrom === null) dmarcFrom = domainOf(result.properties['header.from']);
    if (result.method === 'dkim' && result.value === 'pass' && dkim.length < DKIM_DOMAINS_MAX) {
      const domain = domainOf(result.properties['header.d'] ?? result.properties['header.i']);
      if (domain !== null && !dkim.includes(domain)) dkim.push(domain);
    }
  }
  return { mailFrom, dkim, dmarcFrom };
}

interface AuthResult {
  method: 'spf' | 'dkim' | 'dmarc';
  value: string;
  properties: Record<string, string>;
}

/**
 * The results of SES's Authentication-Results, each with the properties that follow it. SES writes
 * some of SPF's properties as parts of their own ('; envelope-from=...;'), so a part without a method
 * adds its properties to the result before it.
 */
function sesResults(headers: Record<string, string[]>): AuthResult[] {
  const header = headers['authentication-results']?.[0];
  if (header === undefined) return [];
  let text = header.slice(0, 4000);
  for (let i = 0; i < 5 && text.includes('('); i++) text = text.replace(/\([^()]*\)/g, ' ');
  const [authserv, ...parts] = text.split(';');
  // 'amazonses.com' possibly followed by a version number
  if (authserv.trim().split(/\s+/)[0].toLowerCase() !== SES_AUTHSERV_ID) return [];
  const results: AuthResult[] = [];
  for (const part of parts) {
    const [first, ...rest] = part.trim().split(/\s+/);
    const match = /^(spf|dkim|dmarc)=([a-z_]+)$/i.exec(first ?? '');
    if (match) {
      // SES writes DMARC's result last: whatever follows it is not SES's (a message whose first line is
      // folded onto SES's header would otherwise add results of its own).
      if (results.some((r) => r.method === 'dmarc')) break;
      results.push({ method: match[1].toLowerCase() as AuthResult['method'], value: match[2].toLowerCase(), properties: propertiesOf(rest) });
    } else if (results.length > 0) {
      const last = results[results.length - 1].properties;
      for (const [name, value] of Object.entries(propertiesOf([first, ...rest]))) last[name] ??= value;
    }
  }
  return results;
}

function propertiesOf(words: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq > 0) out[word.slice(0, eq).toLowerCase()] ??= word.slice(eq + 1);
  }
  return out;
}

/** 'anna@Example.COM' or '@example.com' or 'example.com' -> 'example.com'; null when it is no domain. */
function domainOf(value: string | undefined): string | null {
  if (value === undefined) return null;
  const domain = value.slice(value.lastIndexOf('@') + 1).toLowerCase().replace(/\.$/, '');
  return DOMAIN.test(domain) && domain.includes('.') ? domain : null;
}

function sesVerdict(value: string | undefined): VerdictStatus | undefined {
  if (value === undefined) return undefined;
  const token = value.trim().split(/[\s;(]/)[0].toUpperCase();
  return SES_VERDICTS.has(token) ? (token as VerdictStatus) : undefined;
}

function authResultStatus(result: string): VerdictStatus {
  switch (result) {
    case 'pass':
      return 'PASS';
    case 'fail':
    case 'softfail':
    case 'hardfail':
      return 'FAIL';
    default:
      // none, neutral, temperror, permerror, policy and anything unknown: not proven either way
      return 'GRAY';
  }
}
