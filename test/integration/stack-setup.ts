// Starts a fresh local stack (real Temporal dev server, moto, PostgreSQL, worker, bridge) for the integration tests;
// for the cluster suite (test/cluster/jest.config.js), a real Temporal server with TLS, two workers and two bridges.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_STACK_ENV } from './stack-env';

const ROOT = join(__dirname, '..', '..');

export default async function setup(): Promise<void> {
  Object.assign(process.env, TEST_STACK_ENV);
  const cli = (...args: string[]) => execFileSync(process.execPath, [join(ROOT, 'lib', 'cli.js'), ...args], { env: process.env, stdio: 'inherit' });
  if (process.env.KEEP_TEST_STACK !== '1') {
    cli('stack', 'down');
    rmSync(TEST_STACK_ENV.STACK_DIR, { recursive: true, force: true });
  }
  cli('stack', 'up');
}
