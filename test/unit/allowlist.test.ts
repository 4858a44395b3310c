import { isAllowlisted, normaliseAllowlistEntry } from '../../src/domain/allowlist';

describe('normaliseAllowlistEntry', () => {
  test.each([
    ['user@example.com', 'address', 'user@example.com'],
    ['  User@Example.COM  ', 'address', 'user@example.com'],
    ['first.last+tag@mail.example.co.uk', 'address', 'first.last+tag@mail.example.co.uk'],
    ["o'brien@example.com", 'address', "o'brien@example.com"],
    ['example.com', 'domain', 'example.com'],
    ['EXAMPLE.com', 'domain', 'example.com'],
    ['@example.com', 'domain', 'example.com'],
    ['  @Mail.Example.com\t', 'domain', 'mail.example.com'],
    ['xn--bcher-kva.example', 'domain', 'xn--bcher-kva.example'],
    ['a-b.example.com', 'domain', 'a-b.example.com'],
    ['123.example', 'domain', '123.example'],
  ])('%p -> %s %p', (entry, kind, value) => {
    expect(normaliseAllowlistEntry(entry)).toEqual({ kind, value });
  });

  test.each([
    ['', /empty/],
    ['   ', /empty/],
    ['\r\n', /empty/],
    ['user @example.com', /must not contain spaces/],
    ['example .com', /must not contain spaces/],
    ['user@example.com\r\nBcc: x@evil.com', /must not contain spaces, line breaks/],
    ['user@exa\u0000mple.com', /control characters/],
    ['a@b@example.com', /more than one '@'/],
    ['@@example.com', /more than one '@'/],
    ['user@', /not a valid address/],
    ['@', /not a valid domain/],
    ['user@localhost', /not a valid address/],
    ['.user@example.com', /not a valid address/],
    ['us..er@example.com', /not a valid address/],
    ['"quoted"@example.com', /not a valid address/],
    ['<user@example.com>', /not a valid address/],
    ['com', /not a valid domain/],
    ['co.uk', /is a public suffix/],
    ['@github.io', /is a public suffix/],
    ['localhost', /not a valid domain/],
    ['.example.com', /not a valid domain/],
    ['example.com.', /not a valid domain/],
    ['example..com', /not a valid domain/],
    ['-example.com', /not a valid domain/],
    ['example-.com', /not a valid domain/],
    ['exa_mple.com', /not a valid domain/],
    ['*.example.com', /not a valid domain/],
    ['bücher.example', /not a valid domain/],
    [`${'a'.repeat(64)}.com`, /not a valid domain/],
    [`${'a'.repeat(65)}@example.com`, /not a valid address/],
  ])('rejects %p', (entry, message) => {
    expect(() => normaliseAllowlistEntry(entry)).toThrow(message);
  });

  test('a 63-character label is still a valid domain', () => {
    expect(normaliseAllowlistEntry(`${'a'.repeat(63)}.com`).kind).toBe('domain');
  });

  test('an error message does not echo an enormous entry', () => {
    expect(() => normaliseAllowlistEntry('x '.repeat(5000))).toThrow(/^.{0,200}$/s);
  });
});

describe('isAllowlisted', () => {
  const entries = ['boss@partner.org', 'example.com', '@vendor.io', 'Support@Customer.NET'];

  test.each([
    // address entries: that exact address, any case
    ['boss@partner.org', true],
    ['BOSS@Partner.ORG', true],
    ['  boss@partner.org  ', true],
    ['other@partner.org', false],
    ['boss@mail.partner.org', false],
    ['xboss@partner.org', false],
    ['support@customer.net', true],
    // domain entries: the domain and its subdomains
    ['a@example.com', true],
    ['A@EXAMPLE.COM', true],
    ['a@mail.example.com', true],
    ['a@deep.mail.example.com', true],
    ['a@badexample.com', false],
    ['a@example.com.evil.net', false],
    ['a@example.co', false],
    ['example.com@evil.net', false],
    ['a@vendor.io', true],
    ['a@eu.vendor.io', true],
    ['a@vendor.io.evil.net', false],
    // senders that are not plain addresses never match a domain entry
    ['a@evil>.example.com', false],
    ['a@evil .example.com', false],
    ['example.com', false],
    ['@example.com', false],
    ['', false],
  ])('%p -> %p', (sender, expected) => {
    expect(isAllowlisted(sender, entries)).toBe(expected);
  });

  test.each([
    [['a b@example.com', 'com', '', 'example.com'], 'x@example.com', true],
    [['a@b@c.com', 'localhost'], 'x@localhost', false],
    [['not valid', ' '], 'x@example.com', false],
    [[], 'x@example.com', false],
  ])('invalid entries are ignored, not thrown: %p', (list, sender, expected) => {
    expect(() => isAllowlisted(sender, list)).not.toThrow();
    expect(isAllowlisted(sender, list)).toBe(expected);
  });

  test('the last @ separates the domain (a quoted local part may contain one)', () => {
    expect(isAllowlisted('"a@evil.net"@example.com', ['example.com'])).toBe(true);
    expect(isAllowlisted('"a@example.com"@evil.net', ['example.com'])).toBe(false);
  });
});
