// The fault run's verdicts: each email of the mix compared with what it must become, and the evidence
// that the faults happened. Every excuse the old checks accepted is shown failing here.
import { planMix, prng } from '../../src/bench/email-mix';
import { compareEmail, compareMix, emailChecks, expectationOf, Mailed, Observed } from '../../src/faults/expectations';
import { faultChecks } from '../../src/faults/evidence';
import { faultSchedule, ONCE_EACH } from '../../src/faults/schedule';

const confirmedNew: Observed = { stage: 'confirmed', reason: null, stageIncident: 'INC0010001', incidentsMade: ['INC0010001'], commentedOn: [] };
const threadedReply: Observed = { stage: 'threaded-as-reply', reason: null, stageIncident: 'INC0010001', incidentsMade: [], commentedOn: ['INC0010001'] };
const once: (incident: string) => Mailed = () => ({ messages: 1, sends: 1 });
const newEmail = (observed: Observed, mailed = once) => compareEmail(0, { kind: 'new' }, observed, null, mailed);
const reply = (observed: Observed, parent: Observed = confirmedNew) => compareEmail(1, { kind: 'reply', parent: 0 }, observed, parent, once);

describe('what each email of the mix must become', () => {
  test('replies answer their parent; every other kind is a new email', () => {
    const mix = planMix({ count: 300, seed: 11 });
    for (const email of mix) {
      expect(expectationOf(email)).toEqual(email.kind === 'reply' ? { kind: 'reply', parent: email.parent } : { kind: 'new' });
    }
    expect(mix.some((e) => e.kind === 'reply')).toBe(true);
  });
});

describe('a new email', () => {
  test('confirmed, one incident, one confirmation accepted by SES: as expected', () => {
    expect(newEmail(confirmedNew)).toEqual({ index: 0, kind: 'new', problems: [], resent: false });
  });

  test('the same confirmation sent twice with one Message-ID passes, and is counted apart', () => {
    expect(newEmail(confirmedNew, () => ({ messages: 1, sends: 2 }))).toMatchObject({ problems: [], resent: true });
  });

  test.each(['failed', 'quarantined', 'ignored', 'discarded'])('ending %s fails, whatever its reason', (stage) => {
    const verdict = newEmail({ stage, reason: 'a reason', stageIncident: null, incidentsMade: [], commentedOn: [] });
    expect(verdict.problems).toEqual([`${stage} (a reason), expected confirmed`, 'incidents none, expected one']);
  });

  test.each([
    'no confirmation: SES refused the email: MessageRejected: Email address is not verified',
    'rate limited: 10 auto-responses to customer-0001@x.bench.example.com in the window',
  ])('an incident without its confirmation fails: "%s" is no excuse', (reason) => {
    const verdict = newEmail({ ...confirmedNew, stage: 'incident-created', reason }, () => ({ messages: 0, sends: 0 }));
    expect(verdict.problems).toEqual([`incident-created (${reason}), expected confirmed`, '0 confirmations of INC0010001 accepted by SES, expected one']);
  });

  test('recorded as confirmed while SES accepted nothing fails', () => {
    expect(newEmail(confirmedNew, () => ({ messages: 0, sends: 0 })).problems).toEqual(['0 confirmations of INC0010001 accepted by SES, expected one']);
  });

  test('two distinct confirmations fail', () => {
    expect(newEmail(confirmedNew, () => ({ messages: 2, sends: 2 })).problems).toEqual(['2 confirmations of INC0010001 accepted by SES, expected one']);
  });

  test('two incidents, or none, fail', () => {
    expect(newEmail({ ...confirmedNew, incidentsMade: ['INC0010001', 'INC0010002'] }).problems).toEqual(['incidents INC0010001, INC0010002, expected one']);
    expect(newEmail({ ...confirmedNew, incidentsMade: [] }).problems).toEqual(['incidents none, expected one']);
  });

  test('never delivered fails (a failed delivery is no longer only logged)', () => {
    expect(newEmail({ ...confirmedNew, deliveryError: 'connect ECONNREFUSED 127.0.0.1:4566' }).problems).toEqual(['never delivered: connect ECONNREFUSED 127.0.0.1:4566']);
  });
});

describe('a reply', () => {
  test("one comment on its parent's incident, no incident: as expected", () => {
    expect(reply(threadedReply)).toEqual({ index: 1, kind: 'reply', problems: [], resent: false });
  });

  test('a reply that made a new incident fails', () => {
    const verdict = reply({ stage: 'confirmed', reason: null, stageIncident: 'INC0010007', incidentsMade: ['INC0010007'], commentedOn: [] });
    expect(verdict.problems).toEqual([
      'confirmed, expected threaded-as-reply',
      'made incident INC0010007, expected none',
      'comments on none, expected one on INC0010001',
      'recorded on INC0010007, expected INC0010001',
    ]);
  });

  test('threaded but its comment never written fails (no "settled after 60 s")', () => {
    expect(reply({ ...threadedReply, commentedOn: [] }).problems).toEqual(['comments on none, expected one on INC0010001']);
  });

  test('its comment on another incident fails', () => {
    expect(reply({ ...threadedReply, stageIncident: 'INC0010002', commentedOn: ['INC0010002'] }).problems).toEqual([
      'comments on INC0010002, expected one on INC0010001',
      'recorded on INC0010002, expected INC0010001',
    ]);
  });

  test('ignored or quarantined fails', () => {
    expect(reply({ stage: 'ignored', reason: 'auto-reply', stageIncident: null, incidentsMade: [], commentedOn: [] }).problems[0]).toBe('ignored (auto-reply), expected threaded-as-reply');
  });

  test('a parent without an incident fails its reply too', () => {
    expect(reply(threadedReply, { ...confirmedNew, incidentsMade: [] }).problems).toEqual(['the email it answers (#0) has no single incident']);
  });
});

describe('the whole mix', () => {
  const mix = planMix({ count: 40, seed: 5, replyShare: 0.3 });
  const numberOf = (index: number) => `INC${String(10001 + index).padStart(7, '0')}`;
  const asExpected = (index: number): Observed => {
    const email = mix[index];
    if (email.kind !== 'reply') return { stage: 'confirmed', reason: null, stageIncident: numberOf(index), incidentsMade: [numberOf(index)], commentedOn: [] };
    const parent = numberOf(email.parent!);
    return { stage: 'threaded-as-reply', reason: null, stageIncident: parent, incidentsMade: [], commentedOn: [parent] };
  };

  test('every email as expected: both checks pass', () => {
    const checks = emailChecks(compareMix(mix, asExpected, once));
    expect(mix.filter((e) => e.kind === 'reply').length).toBeGreaterThan(0);
    expect(checks.map((c) => c.ok)).toEqual([true, true]);
    expect(checks[0].detail).toBe(`${mix.filter((e) => e.kind !== 'reply').length} of ${mix.filter((e) => e.kind !== 'reply').length} as expected`);
  });

  test("one reply on the wrong incident fails the replies' check and names it", () => {
    const wrong = mix.find((e) => e.kind === 'reply')!.index;
    const checks = emailChecks(compareMix(mix, (i) => (i === wrong ? { ...asExpected(i), commentedOn: ['INC9999999'] } : asExpected(i)), once));
    expect(checks.map((c) => c.ok)).toEqual([true, false]);
    expect(checks[1].detail).toContain(`#${wrong} comments on INC9999999`);
  });
});

describe('evidence that the faults happened, and nothing else failed', () => {
  const at = '2026-05-01T10:00:00.000Z';

  test('an SES outage that refused no call fails', () => {
    expect(faultChecks([{ kind: 'ses-outage', at, outageMs: 30_000, sesRefused: 0 }], [])[0]).toMatchObject({ name: 'the SES outage refused calls', ok: false });
    expect(faultChecks([{ kind: 'ses-outage', at, outageMs: 30_000, sesRefused: 12 }], [])[0]).toMatchObject({ ok: true, detail: 'SES calls refused: 12' });
  });

  test('a PostgreSQL restart with no transaction open fails', () => {
    expect(faultChecks([{ kind: 'restart-postgres', at, outageMs: 0, transactionsInFlight: 0 }], [])[0]).toMatchObject({ name: 'PostgreSQL restarted with transactions in flight', ok: false });
    expect(faultChecks([{ kind: 'restart-postgres', at, outageMs: 0, transactionsInFlight: 2 }], [])[0].ok).toBe(true);
  });

  test('a mid-send kill that found no send to interrupt fails', () => {
    expect(faultChecks([{ kind: 'kill-worker-mid-send', at, outageMs: 0, error: 'no send to interrupt within 120 s' }], [])[0]).toMatchObject({
      name: 'a worker killed between SES accepting its send and hearing so',
      ok: false,
    });
    expect(faultChecks([{ kind: 'kill-worker-mid-send', at, outageMs: 0, interruptedSend: 'ses-1' }], [])[0]).toMatchObject({ ok: true, detail: 'sends interrupted: ses-1' });
  });

  test('without those faults, no such check', () => {
    expect(faultChecks([{ kind: 'kill-worker', at, outageMs: 0 }], []).map((c) => c.name)).toEqual(['every fault applied and the stack restored after it', 'no part of the stack died by itself']);
  });

  test('a fault that could not be applied fails', () => {
    expect(faultChecks([{ kind: 'kill-bridge', at, outageMs: 0, error: 'no bridge running to kill' }], [])[0]).toMatchObject({ ok: false, detail: `kill-bridge at ${at}: no bridge running to kill` });
  });

  test('a part that died by itself fails, with the tail of its log', () => {
    const [, died] = faultChecks([], [{ part: 'worker', at, logTail: "    Error: terminating connection due to administrator command\n    Emitted 'error' event on Client instance" }]);
    expect(died.ok).toBe(false);
    expect(died.detail).toContain('worker found down at 2026-05-01T10:00:00.000Z');
    expect(died.detail).toContain('terminating connection due to administrator command');
  });
});

describe('the schedule', () => {
  test('every fault once, the PostgreSQL restart among them, and the worker kills', () => {
    const kinds = faultSchedule(prng(11), { workerKills: 3, outageMs: 1000, maxGapMs: 1000 }).map((f) => f.kind);
    expect(kinds.sort()).toEqual([...ONCE_EACH, 'kill-worker', 'kill-worker', 'kill-worker'].sort());
    expect(kinds).toContain('restart-postgres');
  });

  test('a run may choose its faults', () => {
    expect(faultSchedule(prng(1), { workerKills: 0, outageMs: 1000, maxGapMs: 1000, onceEach: [] })).toEqual([]);
  });
});
