// Applies one fault to the local stack: SIGKILL a program and bring it back, stop PostgreSQL for a while,
// or take SES down behind the proxy. Programs come back through `stack up`, which starts only what is down.
import { stackUp } from '../stack/local-stack';
import { startPostgres, stopPostgres } from '../stack/postgres';
import { runningPid, sleep } from '../stack/processes';
import { StackSettings } from '../stack/settings';
import { Fault } from './schedule';
import { SesOutageProxy } from './ses-outage-proxy';

export class FaultInjector {
  constructor(
    private readonly settings: StackSettings,
    private readonly proxy: SesOutageProxy,
    private readonly workerEnv: Record<string, string>,
  ) {}

  /** Brings back whatever is down, the worker still talking to AWS through the proxy. */
  async restore(): Promise<void> {
    await stackUp(() => undefined, { workerEnv: this.workerEnv });
  }

  async apply(fault: Fault): Promise<void> {
    switch (fault.kind) {
      case 'kill-worker':
        return this.killAndRestore('worker');
      case 'kill-bridge':
        return this.killAndRestore('bridge');
      case 'restart-temporal':
        // Its SQLite file is kept: workflows, timers and task queues survive the restart.
        return this.killAndRestore('temporal');
      case 'stop-postgres':
        stopPostgres(this.settings.dir);
        await sleep(fault.outageMs);
        await startPostgres(this.settings.dir, this.settings.ports.postgres);
        return;
      case 'ses-outage':
        this.proxy.sesDown = true;
        await sleep(fault.outageMs);
        this.proxy.sesDown = false;
        return;
    }
  }

  private async killAndRestore(name: 'worker' | 'bridge' | 'temporal'): Promise<void> {
    const pid = runningPid(this.settings.dir, name);
    if (!pid) throw new Error(`fault run: no ${name} running under ${this.settings.dir}`);
    process.kill(pid, 'SIGKILL');
    for (const deadline = Date.now() + 5000; runningPid(this.settings.dir, name) === pid && Date.now() < deadline; ) await sleep(50);
    await this.restore();
  }
}
