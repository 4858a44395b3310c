// The user directory's pure rules: what is looked up, the Cognito filter, names, who is an agent.
import {
  agentAddresses,
  directoryListing,
  directoryUserOf,
  emailFilter,
  PoolUser,
  poolUserName,
} from '../../src/domain/user-directory';
import { normaliseAddress } from '../../src/domain/participants';

const user = (username: string, attributes: Record<string, string>, more: Partial<PoolUser> = {}): PoolUser => ({
  username,
  enabled: true,
  attributes: { email_verified: 'true', ...attributes },
  ...more,
});

describe('normaliseAddress: only plain valid addresses are looked up in the directory', () => {
  test('normalised to lower case, angle brackets and spaces dropped', () => {
    expect(normaliseAddress(' <Anna.Berg@Example.COM> ')).toBe('anna.berg@example.com');
  });
  test.each([
    'a"b@example.com',
    'a\\b@example.com',
    'x@example.com" or email ^= "',
    '"quoted local"@example.com',
    'two@at@example.com',
    'no-domain@localhost',
    'line\nbreak@example.com',
    '',
    `${'a'.repeat(250)}@example.com`,
  ])('%j is not looked up', (raw) => {
    expect(normaliseAddress(raw)).toBeNull();
  });
  test('anything but a string is not looked up', () => {
    expect(normaliseAddress(undefined)).toBeNull();
    expect(normaliseAddress({ address: 'a@example.com' })).toBeNull();
  });
});

describe('emailFilter', () => {
  test('an exact match on the email attribute', () => {
    expect(emailFilter('anna.berg@example.com')).toBe('email = "anna.berg@example.com"');
  });
  test('quotes and backslashes are escaped, so the value cannot end early', () => {
    expect(emailFilter('a"b\\c@example.com')).toBe('email = "a\\"b\\\\c@example.com"');
    // The value between the outer quotes has no unescaped quote left.
    const value = emailFilter('x" or email ^= "').slice('email = "'.length, -1);
    expect(value.replace(/\\[\\"]/g, '')).not.toMatch(/["\\]/);
  });
});

describe('poolUserName', () => {
  test('the name attribute first', () => {
    expect(poolUserName({ name: 'Anna Berg', given_name: 'A', family_name: 'B', email: 'a@example.com' })).toBe('Anna Berg');
  });
  test('else given_name and family_name', () => {
    expect(poolUserName({ given_name: 'Anna', family_name: 'Berg' })).toBe('Anna Berg');
    expect(poolUserName({ family_name: 'Berg' })).toBe('Berg');
  });
  test('else the address', () => {
    expect(poolUserName({ email: 'anna@example.com', name: '  ' })).toBe('anna@example.com');
  });
  test('one line, bounded', () => {
    expect(poolUserName({ name: 'Anna\r\nBcc: x@example.com' })).toBe('Anna Bcc: x@example.com');
    expect(Array.from(poolUserName({ name: 'é'.repeat(500) })).length).toBeLessThanOrEqual(200);
  });
});

describe('directoryUserOf', () => {
  const address = 'anna@example.com';
  test('a verified, enabled user is the reporter; a customer unless in the agent group', () => {
    expect(directoryUserOf(address, [user('u1', { email: address, name: 'Anna' }, { groups: ['staff'] })], 'agents')).toEqual({ email: address, name: 'Anna', role: 'customer' });
    expect(directoryUserOf(address, [user('u1', { email: address, name: 'Anna' }, { groups: ['staff', 'agents'] })], 'agents')).toEqual({ email: address, name: 'Anna', role: 'agent' });
  });
  test('the agent group is matched exactly', () => {
    expect(directoryUserOf(address, [user('u1', { email: address }, { groups: ['Agents', 'agents-old'] })], 'agents')?.role).toBe('customer');
  });
  test('no user, an unverified email, a disabled user, another address: unknown', () => {
    expect(directoryUserOf(address, [], 'agents')).toBeNull();
    expect(directoryUserOf(address, [user('u1', { email: address, email_verified: 'false' }, { groups: ['agents'] })], 'agents')).toBeNull();
    expect(directoryUserOf(address, [user('u1', { email: address }, { enabled: false, groups: ['agents'] })], 'agents')).toBeNull();
    expect(directoryUserOf(address, [user('u1', { email: 'other@example.com' })], 'agents')).toBeNull();
  });
  test('the address is compared normalised', () => {
    expect(directoryUserOf(address, [user('u1', { email: 'Anna@Example.com', name: 'Anna' })], 'agents')?.name).toBe('Anna');
  });
  test('several holders: the first by username names it; an agent if any is in the group; unverified ones do not count', () => {
    const found = [
      user('u2', { email: address, name: 'Second' }, { groups: ['agents'] }),
      user('u1', { email: address, name: 'First' }, { groups: [] }),
      user('u0', { email: address, name: 'Claimed', email_verified: 'false' }, { groups: ['agents'] }),
    ];
    expect(directoryUserOf(address, found, 'agents')).toEqual({ email: address, name: 'First', role: 'agent' });
    expect(directoryUserOf(address, found.slice(1), 'agents')).toEqual({ email: address, name: 'First', role: 'customer' });
  });
});

describe('agentAddresses and directoryListing', () => {
  const members = [
    user('g2', { email: 'Zed@example.com' }),
    user('g1', { email: 'amy@example.com' }),
    user('g3', { email: 'amy@example.com' }),
    user('g4', { email: 'unverified@example.com', email_verified: 'false' }),
    user('g5', { email: 'off@example.com' }, { enabled: false }),
    user('g6', {}),
  ];
  test('the group members that hold their address, once each, sorted', () => {
    expect(agentAddresses(members)).toEqual(['amy@example.com', 'zed@example.com']);
  });
  test('the listing marks the agents and leaves out users who hold no address', () => {
    const users = [...members, user('c1', { email: 'carl@example.com', given_name: 'Carl' })];
    expect(directoryListing(users, agentAddresses(members))).toEqual([
      { email: 'amy@example.com', name: 'amy@example.com', role: 'agent' },
      { email: 'carl@example.com', name: 'Carl', role: 'customer' },
      { email: 'zed@example.com', name: 'Zed@example.com', role: 'agent' },
    ]);
  });
});
