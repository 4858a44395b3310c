// A process that others wait for (the local stack waits for worker and bridge) says "ready" by writing a file.
import { writeFileSync } from 'node:fs';

export function announceReady(): void {
  const file = process.env.READY_FILE;
  if (file) writeFileSync(file, String(process.pid));
}
