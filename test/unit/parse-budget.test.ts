// The worker's parse budget: raw bytes parsed at once stay within it, first come first served.
import { ParseBudget } from '../../src/activities/parse-budget';

const tick = () => new Promise((r) => setImmediate(r));

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

test('parses that fit run together; the next waits until bytes are given back', async () => {
  const budget = new ParseBudget(100);
  const started: string[] = [];
  const a = gate();
  const b = gate();
  const runs = [
    budget.run(60, async () => (started.push('a'), a.opened)),
    budget.run(40, async () => (started.push('b'), b.opened)),
    budget.run(30, async () => started.push('c')),
  ];
  await tick();
  expect(started).toEqual(['a', 'b']);
  expect(budget.bytesInUse).toBe(100);
  b.open();
  await tick();
  await tick();
  expect(started).toEqual(['a', 'b', 'c']);
  a.open();
  await Promise.all(runs);
  expect(budget.bytesInUse).toBe(0);
});

test('an email larger than the whole budget runs alone, and small ones queue behind it (no starvation)', async () => {
  const budget = new ParseBudget(100);
  const started: string[] = [];
  const big = gate();
  const small = gate();
  const first = budget.run(10, async () => (started.push('small-1'), small.opened));
  const huge = budget.run(500, async () => (started.push('huge'), big.opened));
  const later = budget.run(10, async () => started.push('small-2'));
  await tick();
  // The huge one waits for the first small one; the second small one does not overtake it.
  expect(started).toEqual(['small-1']);
  small.open();
  await first;
  await tick();
  expect(started).toEqual(['small-1', 'huge']);
  big.open();
  await Promise.all([huge, later]);
  expect(started).toEqual(['small-1', 'huge', 'small-2']);
});

test('a failing parse gives its bytes back', async () => {
  const budget = new ParseBudget(100);
  await expect(budget.run(80, async () => Promise.reject(new Error('unparseable')))).rejects.toThrow('unparseable');
  expect(budget.bytesInUse).toBe(0);
  await expect(budget.run(100, async () => 'ok')).resolves.toBe('ok');
});
