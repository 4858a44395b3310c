import { formatDnsRecords, mailDnsRecords, mailDomain, receivingEndpoint } from '../../src/domain/mail-dns-records';

describe('receivingEndpoint', () => {
  test.each([
    ['us-east-1', 'inbound-smtp.us-east-1.amazonaws.com'],
    ['eu-west-1', 'inbound-smtp.eu-west-1.amazonaws.com'],
    ['ap-southeast-2', 'inbound-smtp.ap-southeast-2.amazonaws.com'],
  ])('%s -> %s', (region, host) => expect(receivingEndpoint(region)).toBe(host));

  test.each(['', 'EU-WEST-1', 'eu-west', 'inbound-smtp.eu-west-1.amazonaws.com', 'eu west 1'])('%p is refused', (region) => {
    expect(() => receivingEndpoint(region)).toThrow(/Malformed AWS region/);
  });
});

describe('mailDomain', () => {
  test.each([
    ['tickets@your-instance.stackflow-tech.com', 'your-instance.stackflow-tech.com'],
    ['Support@Example.COM', 'example.com'],
    ['support@xn--80ak6aa92e.xn--p1ai', 'xn--80ak6aa92e.xn--p1ai'],
  ])('%s -> %s', (address, domain) => expect(mailDomain(address)).toBe(domain));

  test.each(['tickets', '@example.com', 'tickets@', 'tickets@localhost', 'tickets@exa mple.com', 'tickets@-bad.example.com', 'tickets@example.123'])('%p has no verifiable domain', (address) => {
    expect(() => mailDomain(address)).toThrow(/no domain SES can verify/);
  });
});

describe('mailDnsRecords', () => {
  const records = mailDnsRecords({ domain: 'example.com', region: 'eu-west-1', verificationToken: 'tok+en/=', dkimTokens: ['aaa', 'bbb', 'ccc'] });

  test('MX to the region, the verification TXT, one DKIM CNAME per token', () => {
    expect(records.map(({ type, name, value, priority }) => ({ type, name, value, priority }))).toEqual([
      { type: 'MX', name: 'example.com', value: 'inbound-smtp.eu-west-1.amazonaws.com', priority: 10 },
      { type: 'TXT', name: '_amazonses.example.com', value: 'tok+en/=', priority: undefined },
      { type: 'CNAME', name: 'aaa._domainkey.example.com', value: 'aaa.dkim.amazonses.com', priority: undefined },
      { type: 'CNAME', name: 'bbb._domainkey.example.com', value: 'bbb.dkim.amazonses.com', priority: undefined },
      { type: 'CNAME', name: 'ccc._domainkey.example.com', value: 'ccc.dkim.amazonses.com', priority: undefined },
    ]);
    for (const record of records) expect(record.purpose).not.toBe('');
  });

  test('the table: a header, then one aligned line per record, the MX value after its priority', () => {
    const lines = formatDnsRecords(records).split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/^TYPE\s+NAME\s+VALUE$/);
    expect(lines[1]).toMatch(/^MX\s+example\.com\s+10 inbound-smtp\.eu-west-1\.amazonaws\.com$/);
    expect(lines[3]).toMatch(/^CNAME\s+aaa\._domainkey\.example\.com\s+aaa\.dkim\.amazonses\.com$/);
    const valueColumn = lines[0].indexOf('VALUE');
    expect(lines.slice(1).map((line) => line.slice(valueColumn))).toEqual([
      '10 inbound-smtp.eu-west-1.amazonaws.com',
      'tok+en/=',
      'aaa.dkim.amazonses.com',
      'bbb.dkim.amazonses.com',
      'ccc.dkim.amazonses.com',
    ]);
  });
});
