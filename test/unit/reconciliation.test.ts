// The ledger's decisions: the window, which keys are emails, which emails lack a record, the tally.
import {
  addPage,
  emailsInWindow,
  emailsWithoutRecord,
  EMPTY_TALLY,
  ReconciledPage,
  reconciliationWindow,
  sesMessageIdOfKey,
  STARTED_IDS_KEPT,
} from '../../src/domain/reconciliation';

const NOW = Date.parse('2026-11-30T10:00:00.000Z');
const HOUR = 3_600_000;

describe('reconciliationWindow', () => {
  test('from the window before now up to the grace before now', () => {
    expect(reconciliationWindow(NOW, 24 * HOUR, 15 * 60_000)).toEqual({ from: '2026-11-29T10:00:00.000Z', to: '2026-11-30T09:45:00.000Z' });
  });

  test('no grace: up to now', () => {
    expect(reconciliationWindow(NOW, HOUR, 0)).toEqual({ from: '2026-11-30T09:00:00.000Z', to: '2026-11-30T10:00:00.000Z' });
  });

  test('a grace longer than the window leaves an empty window, never one that ends before it starts', () => {
    const window = reconciliationWindow(NOW, HOUR, 2 * HOUR);
    expect(window.from).toBe(window.to);
    expect(emailsInWindow([{ key: 'inbound/m1', lastModified: window.from }], 'inbound/', window)).toEqual([]);
  });

  test.each([
    [0, 0],
    [-1, 0],
    [HOUR, -1],
    [Number.NaN, 0],
  ])('window %p ms, grace %p ms is refused', (windowMs, graceMs) => {
    expect(() => reconciliationWindow(NOW, windowMs, graceMs)).toThrow(/Invalid reconciliation window/);
  });
});

describe('sesMessageIdOfKey', () => {
  test.each([
    ['inbound/o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1', 'inbound/', 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1'],
    ['o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1', '', 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1'],
    // SES's own test object when the S3 action was created: not an email.
    ['inbound/AMAZON_SES_SETUP_NOTIFICATION', 'inbound/', null],
    // Our parse of an email, and anything else in a "folder" under the prefix.
    ['parsed/m1/email.json', '', null],
    ['inbound/m1/extra', 'inbound/', null],
    ['other/m1', 'inbound/', null],
    ['inbound/', 'inbound/', null],
    ['inbound/not an id', 'inbound/', null],
  ])('%p under %p -> %p', (key, prefix, expected) => {
    expect(sesMessageIdOfKey(key, prefix)).toBe(expected);
  });
});

describe('emailsInWindow', () => {
  const window = { from: '2026-11-29T10:00:00.000Z', to: '2026-11-30T09:45:00.000Z' };

  test('emails stored from the start of the window up to, not including, its end', () => {
    const objects = [
      { key: 'inbound/too-old', lastModified: '2026-11-29T09:59:59.999Z' },
      { key: 'inbound/first', lastModified: '2026-11-29T10:00:00.000Z' },
      { key: 'inbound/middle', lastModified: '2026-11-30T01:00:00.000Z' },
      { key: 'inbound/last', lastModified: '2026-11-30T09:44:59.999Z' },
      { key: 'inbound/in-grace', lastModified: '2026-11-30T09:45:00.000Z' },
      { key: 'inbound/AMAZON_SES_SETUP_NOTIFICATION', lastModified: '2026-11-30T01:00:00.000Z' },
    ];
    expect(emailsInWindow(objects, 'inbound/', window)).toEqual([
      { sesMessageId: 'first', key: 'inbound/first' },
      { sesMessageId: 'middle', key: 'inbound/middle' },
      { sesMessageId: 'last', key: 'inbound/last' },
    ]);
  });
});

describe('emailsWithoutRecord', () => {
  test('keeps the emails no record names, in listing order', () => {
    const emails = ['a', 'b', 'c', 'd'].map((id) => ({ sesMessageId: id, key: `inbound/${id}` }));
    expect(emailsWithoutRecord(emails, ['c', 'a', 'elsewhere']).map((e) => e.sesMessageId)).toEqual(['b', 'd']);
    expect(emailsWithoutRecord(emails, [])).toEqual(emails);
    expect(emailsWithoutRecord([], ['a'])).toEqual([]);
  });
});

describe('addPage', () => {
  const page = (started: string[], overrides: Partial<ReconciledPage> = {}): ReconciledPage => ({
    listed: 10,
    inWindow: 6,
    recorded: 4,
    alreadyStarted: 1,
    started: started.length,
    startedIds: started,
    ...overrides,
  });

  test('sums the pages and counts them', () => {
    const tally = addPage(addPage(EMPTY_TALLY, page(['a'])), page(['b', 'c'], { listed: 3 }));
    expect(tally).toEqual({ pages: 2, listed: 13, inWindow: 12, recorded: 8, alreadyStarted: 2, started: 3, startedIds: ['a', 'b', 'c'] });
  });

  test('names at most STARTED_IDS_KEPT started emails, and counts them all', () => {
    const ids = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}`);
    const tally = addPage(addPage(EMPTY_TALLY, page(ids(STARTED_IDS_KEPT - 1, 'a'))), page(ids(5, 'b')));
    expect(tally.started).toBe(STARTED_IDS_KEPT + 4);
    expect(tally.startedIds).toHaveLength(STARTED_IDS_KEPT);
    expect(tally.startedIds.at(-1)).toBe('b0');
  });
});
