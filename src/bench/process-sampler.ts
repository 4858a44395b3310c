// Peak RSS and CPU time of running processes (the worker, the bridge, ...), read from /proc every 250 ms.
import { readFileSync } from 'node:fs';

/** USER_HZ: the unit of utime/stime in /proc/PID/stat (100 on Linux x86-64 and arm64). */
const CLOCK_TICKS = 100;

export interface ProcessFigures {
  name: string;
  pid: number | null;
  peakRssMb: number | null;
  cpuSeconds: number | null;
  /** Highest CPU use over one sampling interval, in cores (1 = one core busy). */
  peakCpuCores: number | null;
}

function read(pid: number): { rssKb: number; ticks: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name.
    const ticks = Number(fields[11]) + Number(fields[12]);
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { rssKb, ticks };
  } catch {
    return null;
  }
}

export class ProcessSampler {
  private timer?: NodeJS.Timeout;
  private readonly state = new Map<string, { pid: number | null; first: number | null; last: number | null; lastAt: number; peakKb: number; peakCores: number }>();

  constructor(processes: Record<string, number | null>, private readonly intervalMs = 250) {
    for (const [name, pid] of Object.entries(processes)) this.state.set(name, { pid, first: null, last: null, lastAt: 0, peakKb: 0, peakCores: 0 });
  }

  private sample(): void {
    const now = Date.now();
    for (const s of this.state.values()) {
      if (!s.pid) continue;
      const r = read(s.pid);
      if (!r) continue;
      if (s.last !== null && now > s.lastAt) s.peakCores = Math.max(s.peakCores, (r.ticks - s.last) / CLOCK_TICKS / ((now - s.lastAt) / 1000));
      s.first ??= r.ticks;
      s.last = r.ticks;
      s.lastAt = now;
      s.peakKb = Math.max(s.peakKb, r.rssKb);
    }
  }

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    return this;
  }

  stop(): ProcessFigures[] {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return [...this.state.entries()].map(([name, s]) => ({
      name,
      pid: s.pid,
      peakRssMb: s.pid && s.peakKb ? Math.round(s.peakKb / 102.4) / 10 : null,
      cpuSeconds: s.first !== null && s.last !== null ? (s.last - s.first) / CLOCK_TICKS : null,
      peakCpuCores: s.pid ? Math.round(s.peakCores * 100) / 100 : null,
    }));
  }
}
