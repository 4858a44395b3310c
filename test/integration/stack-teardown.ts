// Stops the test stack (set KEEP_TEST_STACK=1 to leave it running for a look at the Temporal UI).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { TEST_STACK_ENV } from './stack-env';

export default async function teardown(): Promise<void> {
  if (process.env.KEEP_TEST_STACK === '1') return;
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'lib', 'cli.js'), 'stack', 'down'], {
    env: { ...process.env, ...TEST_STACK_ENV },
    stdio: 'inherit',
  });
}
