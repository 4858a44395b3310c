// /healthz and /readyz of worker, bridge and admin page on the real stack: ready while every service
// answers; with PostgreSQL stopped, the worker and the admin page say not ready and name it, while
// staying alive; ready again when it is back.
import { startPostgres, stopPostgres } from '../../src/stack/postgres';
import { openStack } from './helpers';
import { TEST_STACK_ENV } from './stack-env';

const stack = openStack();
afterAll(() => stack.ctx.close());

const at = (port: string) => `http://127.0.0.1:${port}`;
const WORKER = at(TEST_STACK_ENV.STACK_WORKER_HEALTH_PORT);
const BRIDGE = at(TEST_STACK_ENV.STACK_BRIDGE_HEALTH_PORT);
const WEB = at(TEST_STACK_ENV.STACK_WEB_PORT);

async function ready(base: string): Promise<{ status: number; body: { ready: boolean; checks: Record<string, string> } }> {
  const res = await fetch(`${base}/readyz`);
  return { status: res.status, body: (await res.json()) as { ready: boolean; checks: Record<string, string> } };
}

test('each process is alive and ready, and names what it checked', async () => {
  for (const base of [WORKER, BRIDGE, WEB]) expect(await (await fetch(`${base}/healthz`)).text()).toBe('ok');
  expect(await ready(WORKER)).toEqual({ status: 200, body: { ready: true, checks: { temporal: 'ok', postgres: 'ok', polling: 'ok' } } });
  expect(await ready(BRIDGE)).toEqual({ status: 200, body: { ready: true, checks: { temporal: 'ok', sqs: 'ok' } } });
  expect(await ready(WEB)).toEqual({ status: 200, body: { ready: true, checks: { postgres: 'ok', temporal: 'ok' } } });
});

test('PostgreSQL stopped: the worker and the admin page are not ready (503, postgres named), yet alive; ready again after', async () => {
  expect(stopPostgres(TEST_STACK_ENV.STACK_DIR)).toBe(true);
  try {
    for (const base of [WORKER, WEB]) {
      const { status, body } = await ready(base);
      expect(status).toBe(503);
      expect(body.ready).toBe(false);
      expect(body.checks.postgres).not.toBe('ok');
      expect(body.checks.temporal).toBe('ok');
      expect(await (await fetch(`${base}/healthz`)).text()).toBe('ok');
    }
    // The bridge needs no database.
    expect((await ready(BRIDGE)).status).toBe(200);
  } finally {
    await startPostgres(TEST_STACK_ENV.STACK_DIR, Number(TEST_STACK_ENV.STACK_POSTGRES_PORT));
  }
  for (let i = 0; i < 50 && (await ready(WORKER)).status !== 200; i++) await new Promise((r) => setTimeout(r, 200));
  expect((await ready(WORKER)).status).toBe(200);
  expect((await ready(WEB)).status).toBe(200);
}, 60_000);
