// Extra web processes (lib/web.js) on the test stack, as a deployment runs replicas: each its own port and
// settings, all on the stack's PostgreSQL, Temporal and AWS. Started by a test, stopped by it.
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_STACK_ENV } from './stack-env';

const ROOT = join(__dirname, '..', '..');

export interface WebReplica {
  url: string;
  stop: () => Promise<void>;
}

/** Starts `node lib/web.js` on STACK_WEB_PORT + portStep with the stack's configuration plus `env`; resolves when it is ready. */
export async function startWebReplica(name: string, portStep: number, env: Record<string, string>): Promise<WebReplica> {
  const port = Number(TEST_STACK_ENV.STACK_WEB_PORT) + portStep;
  const ready = join(TEST_STACK_ENV.STACK_DIR, `${name}.ready`);
  rmSync(ready, { force: true });
  const log = openSync(join(TEST_STACK_ENV.STACK_DIR, `${name}.log`), 'a');
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'lib', 'web.js')], {
    env: { ...process.env, ...env, WEB_PORT: String(port), READY_FILE: ready },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  let exited = false;
  const gone = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  for (let i = 0; i < 300 && !existsSync(ready); i++) {
    if (exited) throw new Error(`web replica ${name} exited before it was ready; see ${name}.log in the test stack`);
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!existsSync(ready)) throw new Error(`web replica ${name} not ready after 30 s`);
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (!exited) child.kill('SIGTERM');
      await gone;
    },
  };
}
