// The test servers come from the project's venv (npm's pretest installs them): the SDK's own download
// cannot reach the internet here, so it is always given the binaries.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const bin = (name: string) => {
  const path = join(__dirname, '..', '..', '.venv', 'bin', name);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm test\` (its pretest installs the Temporal binaries)`);
  return path;
};

export const devServerExecutable = () => ({ type: 'existing-path' as const, path: bin('temporal') });
export const testServerExecutable = () => ({ type: 'existing-path' as const, path: bin('temporal-test-server') });
