// Nothing in an email can break its workflow (README, "Limits and hostile input"): a 3 KB address, a
// To of 10,000 addresses, a 1 MB References header, a 1 MB Subject and a forward of a 1 MB subject go through the real stack,
// the normal way and through quarantine (released or discarded). Every workflow completes, and every
// history stays under 16 KB: only bounded summaries reach Temporal.
import { temporal } from '@temporalio/proto';
import { inboundEmailWorkflowId } from '../../src/domain/workflow-ids';
import { discardQuarantined, releaseQuarantined } from '../../src/operations/quarantine';
import { newId, openStack } from './helpers';

const stack = openStack();
afterAll(() => stack.ctx.close());

const HISTORY_BYTES_MAX = 16 * 1024;

interface Hostile {
  name: string;
  headers: (id: string) => string[];
  body?: (id: string) => string;
}

const HOSTILE: Hostile[] = [
  { name: 'a 3 KB From address', headers: (id) => [`From: Evil <${'x'.repeat(3000)}${id}@example.com>`, 'Subject: long address'] },
  {
    name: 'a To of 10,000 addresses',
    headers: (id) => [`From: Anna <${id}@customer.example>`, `To: ${Array.from({ length: 10_000 }, (_, i) => `person${i}-${id}@customer.example`).join(', ')}`, 'Subject: many recipients'],
  },
  {
    name: 'a 1 MB References header',
    headers: (id) => [`From: Anna <${id}@customer.example>`, 'Subject: Re: long thread', `References: ${Array.from({ length: 4000 }, (_, i) => `<${'r'.repeat(240)}${i}@x.example>`).join(' ')}`],
  },
  { name: 'a 1 MB Subject', headers: (id) => [`From: Anna <${id}@customer.example>`, `Subject: ${'S'.repeat(1024 * 1024)}`] },
  {
    name: 'a forward (3 KB subject) of a 1 MB original subject with a 3 KB original From',
    headers: (id) => [`From: Anna <${id}@customer.example>`, `Subject: Fwd: ${'S'.repeat(3000)}`],
    body: (id) => `---------- Forwarded message ---------\r\nFrom: Evil <${'x'.repeat(3000)}${id}@example.com>\r\nSubject: ${'T'.repeat(1024 * 1024)}\r\n\r\nHello.`,
  },
];

const mail = (id: string, headers: string[], body = 'Hello.') =>
  Buffer.from([...headers, `Message-ID: <${id}@test.example>`, 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n'));

async function historyBytes(id: string): Promise<number> {
  const history = await (await stack.ctx.temporal()).workflow.getHandle(inboundEmailWorkflowId(id)).fetchHistory();
  return temporal.api.history.v1.History.encode(history).finish().length;
}

describe.each(HOSTILE)('$name', ({ headers, body }) => {
  test('the normal way: the workflow completes with a history under 16 KB', async () => {
    const id = newId('bounded');
    await stack.deliver(mail(id, headers(id), body?.(id)), { messageId: id });
    const settled = await stack.settle(id);
    // A header past what mailparser reads makes the email unparseable: kept in quarantine, where an
    // admin can discard it (its workflow must be able to take that decision).
    if (settled.stage === 'quarantined') {
      expect(settled.reason).toMatch(/^UnparseableEmail: /);
      await discardQuarantined(await stack.ctx.temporal(), id, 'unparseable');
    }
    const status = await stack.finish(id);
    expect(status.workflowStatus).toBe('COMPLETED');
    expect(await historyBytes(id)).toBeLessThan(HISTORY_BYTES_MAX);
  });

  test('through quarantine: released, and discarded, each completes with a history under 16 KB', async () => {
    const [released, discarded] = [newId('bounded-rel'), newId('bounded-dis')];
    for (const id of [released, discarded]) await stack.deliver(mail(id, headers(id), body?.(id)), { messageId: id, verdicts: { spam: 'FAIL' } });
    for (const id of [released, discarded]) expect((await stack.settle(id)).stage).toBe('quarantined');
    const client = await stack.ctx.temporal();
    await releaseQuarantined(client, stack.ctx.pool, released);
    await discardQuarantined(client, discarded, 'junk');
    expect(await stack.finish(released)).toMatchObject({ workflowStatus: 'COMPLETED' });
    expect(await stack.finish(discarded)).toMatchObject({ workflowStatus: 'COMPLETED', stage: 'discarded' });
    for (const id of [released, discarded]) expect(await historyBytes(id)).toBeLessThan(HISTORY_BYTES_MAX);
  });
});
