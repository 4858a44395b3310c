import { maySpeakOnThread, NOT_A_PARTICIPANT, ThreadPermissionInput } from '../../src/domain/thread-permission';
import type { SesVerdicts, VerdictStatus } from '../../src/domain/types';

const PASS: SesVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };

function input(sender: string, verdicts: Partial<SesVerdicts> = {}, over: Partial<ThreadPermissionInput> = {}): ThreadPermissionInput {
  return {
    sender,
    verdicts: { ...PASS, ...verdicts },
    authenticated: true,
    reporterEmail: 'anna.berg@example.com',
    senderAddressOfIncident: 'anna@home.example',
    participants: ['marco.rossi@example.net', 'Lena@Example.org'],
    agents: ['agent.smith@helpdesk.example'],
    ...over,
  };
}

describe('maySpeakOnThread: who', () => {
  test.each<[string, string, string]>([
    ['anna.berg@example.com', 'sender is the reporter', 'reporter'],
    ['  ANNA.BERG@EXAMPLE.COM ', 'sender is the reporter', 'reporter, any case, padded'],
    ['<anna.berg@example.com>', 'sender is the reporter', 'reporter in angle brackets'],
    ['anna@home.example', 'sender is the original sender', 'original sender'],
    ['Anna@Home.Example', 'sender is the original sender', 'original sender, any case'],
    ['agent.smith@helpdesk.example', 'sender is an agent', 'agent'],
    ['marco.rossi@example.net', 'sender is a participant', 'participant'],
    ['lena@example.org', 'sender is a participant', 'participant listed in mixed case'],
  ])('%s -> allowed (%s)', (sender, reason) => {
    expect(maySpeakOnThread(input(sender))).toEqual({ allowed: true, reason });
  });

  test.each<[string, string]>([
    ['stranger@example.com', NOT_A_PARTICIPANT],
    ['anna.berg@example.com.evil.example', NOT_A_PARTICIPANT],
    ['anna.berg+x@example.com', NOT_A_PARTICIPANT],
    ['berg@example.com', NOT_A_PARTICIPANT],
    ['agent.smith@helpdesk.example.org', NOT_A_PARTICIPANT],
    ['', 'sender has no valid address'],
    ['   ', 'sender has no valid address'],
    ['not an address', 'sender has no valid address'],
    ['anna.berg@example.com, stranger@example.com', 'sender has no valid address'],
  ])('%j -> refused (%s)', (sender, reason) => {
    expect(maySpeakOnThread(input(sender))).toEqual({ allowed: false, reason });
  });

  test('the reporter wins when one address has several roles', () => {
    const both = input('anna@home.example', {}, { reporterEmail: 'anna@home.example', participants: ['anna@home.example'], agents: ['anna@home.example'] });
    expect(maySpeakOnThread(both)).toEqual({ allowed: true, reason: 'sender is the reporter' });
  });

  test('no reporter: the original sender and participants still may', () => {
    expect(maySpeakOnThread(input('anna@home.example', {}, { reporterEmail: null }))).toEqual({ allowed: true, reason: 'sender is the original sender' });
    expect(maySpeakOnThread(input('marco.rossi@example.net', {}, { reporterEmail: null }))).toEqual({ allowed: true, reason: 'sender is a participant' });
  });

  test('a null reporter never matches', () => {
    expect(maySpeakOnThread(input('stranger@example.com', {}, { reporterEmail: null, participants: [], agents: [] }))).toEqual({
      allowed: false,
      reason: NOT_A_PARTICIPANT,
    });
  });

  test('invalid entries in the lists never match', () => {
    const over = { reporterEmail: '', senderAddressOfIncident: '', participants: ['', 'x', null as unknown as string], agents: [] };
    expect(maySpeakOnThread(input('x@y.example', {}, over))).toEqual({ allowed: false, reason: NOT_A_PARTICIPANT });
  });
});

describe('maySpeakOnThread: spoofing', () => {
  const NOT_FAILURES: VerdictStatus[] = ['PASS', 'GRAY', 'PROCESSING_FAILED', 'DISABLED'];

  for (const check of ['spf', 'dkim', 'dmarc'] as const) {
    for (const status of NOT_FAILURES) {
      test(`${check} ${status} does not count as spoofed`, () => {
        expect(maySpeakOnThread(input('marco.rossi@example.net', { [check]: status }))).toEqual({ allowed: true, reason: 'sender is a participant' });
      });
    }
  }

  test('no DMARC policy at all (every check GRAY) is fine: many legitimate domains publish none', () => {
    expect(maySpeakOnThread(input('anna.berg@example.com', { spf: 'GRAY', dkim: 'GRAY', dmarc: 'GRAY' }))).toEqual({
      allowed: true,
      reason: 'sender is the reporter',
    });
  });

  test.each<[string, Partial<SesVerdicts>, string]>([
    ['marco.rossi@example.net', { dmarc: 'FAIL' }, 'sender failed DMARC: not trusted as a participant'],
    ['marco.rossi@example.net', { spf: 'FAIL' }, 'sender failed SPF: not trusted as a participant'],
    ['marco.rossi@example.net', { dkim: 'FAIL' }, 'sender failed DKIM: not trusted as a participant'],
    ['anna.berg@example.com', { spf: 'FAIL', dmarc: 'FAIL' }, 'sender failed SPF and DMARC: not trusted as the reporter'],
    ['anna@home.example', { spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL' }, 'sender failed SPF, DKIM and DMARC: not trusted as the original sender'],
    ['agent.smith@helpdesk.example', { dkim: 'FAIL', dmarc: 'GRAY' }, 'sender failed DKIM: not trusted as an agent'],
  ])('%s with %j -> refused', (sender, verdicts, reason) => {
    expect(maySpeakOnThread(input(sender, verdicts))).toEqual({ allowed: false, reason });
  });

  test('spam and virus verdicts are not this function\'s business', () => {
    expect(maySpeakOnThread(input('marco.rossi@example.net', { spam: 'FAIL', virus: 'FAIL' })).allowed).toBe(true);
  });

  test('a stranger who also failed DMARC is refused as a stranger', () => {
    expect(maySpeakOnThread(input('stranger@example.com', { dmarc: 'FAIL' }))).toEqual({ allowed: false, reason: NOT_A_PARTICIPANT });
  });
});

describe('the agent role needs an authenticated sender', () => {
  const base = {
    reporterEmail: 'anna@customer.example',
    senderAddressOfIncident: 'anna@customer.example',
    participants: ['bob@customer.example', 'dana@ours.example'],
    agents: ['dana@ours.example', 'eve@ours.example'],
  };
  const gray = { spam: 'PASS', virus: 'PASS', spf: 'GRAY', dkim: 'GRAY', dmarc: 'GRAY' } as const;
  const pass = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' } as const;

  test.each([
    ['an authenticated agent', 'eve@ours.example', pass, true, 'sender is an agent'],
    ['an agent without DMARC pass (spoofable)', 'eve@ours.example', gray, false, 'not authenticated'],
    ['an unauthenticated agent who is also a participant speaks as the participant', 'dana@ours.example', gray, true, 'sender is a participant'],
  ] as const)('%s', (_label, sender, verdicts, allowed, reason) => {
    // As the decision would say (domain/sender-authentication): GRAY with nothing aligned is not authenticated.
    const result = maySpeakOnThread({ ...base, sender, verdicts: { ...verdicts }, authenticated: verdicts.dmarc === 'PASS' });
    expect(result.allowed).toBe(allowed);
    expect(result.reason).toContain(reason);
  });
});
