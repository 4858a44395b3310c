// Background processes of the local stack: started detached with a pid file and a log file each,
// so that `stack down` (another process, later) can find and stop them.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';

export const pidFile = (dir: string, name: string) => join(dir, `${name}.pid`);
export const logFile = (dir: string, name: string) => join(dir, `${name}.log`);

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The kernel's start time of a process (field 22 of /proc/PID/stat): with the pid, it names one process. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** The pid recorded for `name`, if that very process still runs (not a later one that reused the pid). */
export function runningPid(dir: string, name: string): number | null {
  const file = pidFile(dir, name);
  if (!existsSync(file)) return null;
  const [pidText, started] = readFileSync(file, 'utf8').trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
  return started === undefined || startTime(pid) === null || startTime(pid) === started ? pid : null;
}

export function startDetached(
  dir: string,
  name: string,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): number {
  mkdirSync(dir, { recursive: true });
  const log = openSync(logFile(dir, name), 'a');
  const child = spawn(command, args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: options.env ?? process.env,
    cwd: options.cwd,
  });
  closeSync(log);
  if (!child.pid) throw new Error(`Could not start ${name} (${command})`);
  child.unref();
  writeFileSync(pidFile(dir, name), `${child.pid} ${startTime(child.pid) ?? ''}`.trim());
  return child.pid;
}

/** SIGTERM to the process group, then SIGKILL after `graceMs`. */
export async function stopProcess(dir: string, name: string, graceMs = 15_000): Promise<boolean> {
  const pid = runningPid(dir, name);
  rmSync(pidFile(dir, name), { force: true });
  if (!pid) return false;
  const signalGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  signalGroup('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) signalGroup('SIGKILL');
  return true;
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it holds; the error names what did not come up and where its log is. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, log?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(250);
  }
  const tail = log && existsSync(log) ? `\n--- last lines of ${log} ---\n${readFileSync(log, 'utf8').split('\n').slice(-20).join('\n')}` : '';
  throw new Error(`${what} did not become ready within ${Math.round(timeoutMs / 1000)} s${tail}`);
}

/** Starts `name` unless it runs already (its port must be free then), and waits until it is healthy. */
export async function ensureService(
  dir: string,
  name: string,
  port: number,
  start: () => void,
  healthy: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  if (!runningPid(dir, name)) {
    if (await portOpen(port)) {
      throw new Error(`Port ${port} for ${name} is taken by another program; stop it or choose another port (see README, "Ports")`);
    }
    start();
  }
  await waitFor(name, healthy, timeoutMs, logFile(dir, name));
}
