// The real Temporal server and its SQL schema tool, built from the Go module proxy at a pinned release
// and kept outside the checkout (7 to 15 minutes and 2.4 GB of memory once; every later run reuses them).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stackSettings, TEMPORAL_SERVER_VERSION } from './settings';

export interface TemporalServerBinaries {
  server: string;
  sql: string;
}

/** The Go toolchain the pinned server release builds with (its go.mod asks for more than Go 1.26). */
const GO_TOOLCHAIN = 'go1.27.3';

const PACKAGES = ['go.temporal.io/server/cmd/server', 'go.temporal.io/server/cmd/tools/sql'];

export const temporalServerBinaries = (dir: string): TemporalServerBinaries => ({ server: join(dir, 'server'), sql: join(dir, 'sql') });

/** Builds the binaries into `dir` unless both are there already. */
export function ensureTemporalServerBinaries(dir: string, log: (line: string) => void): TemporalServerBinaries {
  const binaries = temporalServerBinaries(dir);
  if (existsSync(binaries.server) && existsSync(binaries.sql)) return binaries;
  log(`building Temporal server ${TEMPORAL_SERVER_VERSION} into ${dir} (once; 7 to 15 minutes and 2.4 GB of memory)`);
  // Built into a folder of its own and moved in at the end: an interrupted build leaves no half-written
  // binary that a later run would take for a finished one.
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  try {
    execFileSync('go', ['install', ...PACKAGES.map((p) => `${p}@${TEMPORAL_SERVER_VERSION}`)], {
      stdio: 'inherit',
      // This release needs a newer Go than many machines have: `go` fetches that toolchain from the proxy itself.
      env: { ...process.env, GOBIN: partial, GOFLAGS: '-mod=mod', GOTOOLCHAIN: GO_TOOLCHAIN },
    });
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('STACK_TEMPORAL=server builds the Temporal server with Go, which is not installed (https://go.dev/dl/), or set STACK_TEMPORAL_SERVER_DIR to a folder holding `server` and `sql`');
    }
    throw err;
  }
  mkdirSync(dir, { recursive: true });
  renameSync(join(partial, 'sql'), binaries.sql);
  renameSync(join(partial, 'server'), binaries.server);
  rmSync(partial, { recursive: true, force: true });
  return binaries;
}

// `node lib/stack/temporal-server-binaries.js` builds them ahead of time (CI starts it beside the other tests).
if (require.main === module) ensureTemporalServerBinaries(stackSettings().temporalServerDir, console.log);
