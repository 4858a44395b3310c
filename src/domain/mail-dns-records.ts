// The DNS records a deployer creates for the ticket address's domain: the MX that sends its mail to
// SES in the region, the TXT that proves the domain is ours, and the three DKIM CNAMEs that let
// receivers check our signature. `setup` prints them; nothing here talks to DNS or AWS.

export interface DnsRecord {
  type: 'MX' | 'TXT' | 'CNAME';
  name: string;
  value: string;
  /** MX only. */
  priority?: number;
  purpose: string;
}

/** The regions whose SES receives email, from AWS's endpoint table (README "Deploying to AWS" says
 *  as of when, and where the current list is). Another region may have been added since. */
export const SES_RECEIVING_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-northeast-1',
];

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
// A host name of letters, digits and hyphens in dot-separated labels (what SES verifies).
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** The host an MX record points at so that SES in `region` receives the domain's mail. */
export function receivingEndpoint(region: string): string {
  if (!REGION.test(region)) throw new Error(`Malformed AWS region "${region}": expected e.g. eu-west-1`);
  return `inbound-smtp.${region}.amazonaws.com`;
}

/** The domain part of an email address, lower-cased, checked to be a domain SES can verify. */
export function mailDomain(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1).toLowerCase();
  if (at < 1 || !DOMAIN.test(domain)) throw new Error(`"${address}" has no domain SES can verify`);
  return domain;
}

export interface DomainTokens {
  domain: string;
  region: string;
  /** VerifyDomainIdentity's VerificationToken. */
  verificationToken: string;
  /** VerifyDomainDkim's DkimTokens (three). */
  dkimTokens: readonly string[];
}

export function mailDnsRecords(t: DomainTokens): DnsRecord[] {
  return [
    { type: 'MX', name: t.domain, value: receivingEndpoint(t.region), priority: 10, purpose: 'SES receives the mail for the domain' },
    { type: 'TXT', name: `_amazonses.${t.domain}`, value: t.verificationToken, purpose: 'proves to SES that the domain is yours' },
    ...t.dkimTokens.map(
      (token): DnsRecord => ({ type: 'CNAME', name: `${token}._domainkey.${t.domain}`, value: `${token}.dkim.amazonses.com`, purpose: 'DKIM: receivers can check that our mail is signed for the domain' }),
    ),
  ];
}

/** The records as a table, one a line: type, name, value (an MX's value after its priority). */
export function formatDnsRecords(records: readonly DnsRecord[]): string {
  const rows = [['TYPE', 'NAME', 'VALUE'], ...records.map((r) => [r.type, r.name, r.priority === undefined ? r.value : `${r.priority} ${r.value}`])];
  const widths = [0, 1].map((i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => `${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2]}`).join('\n');
}
