// Which parts of the local stack are down that no fault took down: each one is recorded as a death, with
// the tail of its log, for the checks; the fault run then brings it back and goes on.
import { existsSync, readFileSync } from 'node:fs';
import { stackStatus } from '../stack/local-stack';
import { postgresLogFile } from '../stack/postgres';
import { logFile } from '../stack/processes';
import { StackSettings } from '../stack/settings';
import { PartDeath } from './evidence';

const TAIL_LINES = 15;

export class PartWatch {
  readonly deaths: PartDeath[] = [];

  constructor(private readonly settings: StackSettings) {}

  /** Records every part down now except `takenDown` (what a fault stopped on purpose); returns their names. */
  async audit(takenDown: string[] = []): Promise<string[]> {
    const down = (await stackStatus()).filter((p) => !p.running && !takenDown.includes(p.name)).map((p) => p.name);
    for (const part of down) this.deaths.push({ part, at: new Date().toISOString(), logTail: this.logTail(part) });
    return down;
  }

  /** A part that could not be brought back counts as dead too: its restart's error names its log. */
  recordFailedRestore(error: Error): void {
    this.deaths.push({ part: 'restore', at: new Date().toISOString(), logTail: error.message });
  }

  private logTail(part: string): string {
    const file = part === 'postgres' ? postgresLogFile(this.settings.dir) : logFile(this.settings.dir, part);
    if (!existsSync(file)) return `(no log at ${file})`;
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    return lines.slice(-TAIL_LINES).map((l) => `    ${l.length > 400 ? `${l.slice(0, 400)}...` : l}`).join('\n');
  }
}
