// Applies one fault to the local stack: SIGKILL a program and bring it back, stop PostgreSQL for a while,
// crash it while transactions are open, or take SES down behind the proxy. Programs come back through
// `stack up`, which starts only what is down. Before and after each fault every part must be up: one that
// is down without a fault having stopped it died by itself, is recorded (PartWatch) and brought back.
import { Pool } from 'pg';
import { transactionsInFlight } from '../db/server-activity';
import { stackUp } from '../stack/local-stack';
import { crashPostgres, startPostgres, stopPostgres } from '../stack/postgres';
import { runningPid, sleep } from '../stack/processes';
import { StackSettings } from '../stack/settings';
import { AppliedFault } from './evidence';
import { PartWatch } from './part-watch';
import { Fault } from './schedule';
import { SesOutageProxy } from './ses-outage-proxy';

/** How long a PostgreSQL restart waits for a transaction to be open before it restarts anyway (and its check fails). */
const IN_FLIGHT_WAIT_MS = 120_000;
/** How long an SES outage waits, beyond its length, for a send to run into it. */
const OUTAGE_HIT_WAIT_MS = 60_000;
/** How long a mid-send kill waits for the worker to send something (confirmations go out all run long). */
const MID_SEND_WAIT_MS = 120_000;

export class FaultInjector {
  readonly watch: PartWatch;
  /** One fault or audit at a time: an audit during a fault would take the fault for a death. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly settings: StackSettings,
    private readonly proxy: SesOutageProxy,
    private readonly workerEnv: Record<string, string>,
    private readonly pool: Pool,
  ) {
    this.watch = new PartWatch(settings);
  }

  /** Brings back whatever is down, the worker still talking to AWS through the proxy. */
  async restore(): Promise<void> {
    await stackUp(() => undefined, { workerEnv: this.workerEnv });
  }

  /** Records the parts down that no fault stopped and brings them back. */
  checkParts(): Promise<void> {
    return this.exclusive(() => this.auditAndRestore([]));
  }

  /** Applies the fault; what went wrong is in the result, never thrown: the run goes on to its checks. */
  apply(fault: Fault): Promise<AppliedFault> {
    return this.exclusive(async () => {
      const applied: AppliedFault = { kind: fault.kind, at: new Date().toISOString(), outageMs: fault.outageMs };
      try {
        await this.auditAndRestore([]);
        Object.assign(applied, await this.inject(fault));
      } catch (err) {
        applied.error = (err as Error).message;
      }
      return applied;
    });
  }

  private async inject(fault: Fault): Promise<Partial<AppliedFault>> {
    switch (fault.kind) {
      case 'kill-worker':
        return this.killAndRestore('worker');
      case 'kill-worker-mid-send':
        return this.killMidSend();
      case 'kill-bridge':
        return this.killAndRestore('bridge');
      case 'restart-temporal':
        // Its SQLite file is kept: workflows, timers and task queues survive the restart.
        return this.killAndRestore('temporal');
      case 'stop-postgres':
        // A fast shutdown: every session is told 57P01 ("terminating connection due to administrator command").
        stopPostgres(this.settings.dir);
        await sleep(fault.outageMs);
        await startPostgres(this.settings.dir, this.settings.ports.postgres);
        await this.auditAndRestore([]);
        return {};
      case 'restart-postgres': {
        let open = 0;
        for (const deadline = Date.now() + IN_FLIGHT_WAIT_MS; open === 0 && Date.now() < deadline; ) {
          open = await transactionsInFlight(this.pool).catch(() => 0);
          if (open === 0) await sleep(5);
        }
        await crashPostgres(this.settings.dir);
        await startPostgres(this.settings.dir, this.settings.ports.postgres);
        await this.auditAndRestore([]);
        return { transactionsInFlight: open };
      }
      case 'ses-outage': {
        const before = this.proxy.refused;
        this.proxy.sesDown = true;
        await sleep(fault.outageMs);
        // An outage no send ran into tests nothing (it fell before the first confirmation was due): SES
        // stays down until it has refused a call, within a bound.
        for (const deadline = Date.now() + OUTAGE_HIT_WAIT_MS; this.proxy.refused === before && Date.now() < deadline; ) await sleep(50);
        this.proxy.sesDown = false;
        return { sesRefused: this.proxy.refused - before };
      }
    }
  }

  /**
   * The worker is killed the moment SES has accepted one of its sends and before the answer reaches it: its
   * claim stays, with no SES message id. Without SES's Send event the mail would be sent again once the claim
   * is stale; the checks show it was not.
   */
  private async killMidSend(): Promise<Partial<AppliedFault>> {
    const pid = runningPid(this.settings.dir, 'worker');
    if (!pid) throw new Error('no worker running to kill');
    const interrupted = new Promise<string>((resolve) =>
      this.proxy.interruptNextSend((sesMessageId) => {
        process.kill(pid, 'SIGKILL');
        resolve(sesMessageId);
      }),
    );
    const sesMessageId = await Promise.race([interrupted, sleep(MID_SEND_WAIT_MS).then(() => null)]);
    if (sesMessageId === null) {
      this.proxy.disarm();
      throw new Error(`no send to interrupt within ${MID_SEND_WAIT_MS / 1000} s`);
    }
    await this.awaitDeath('worker', pid);
    return { interruptedSend: sesMessageId };
  }

  private async killAndRestore(name: 'worker' | 'bridge' | 'temporal'): Promise<Partial<AppliedFault>> {
    const pid = runningPid(this.settings.dir, name);
    if (!pid) throw new Error(`no ${name} running to kill`);
    process.kill(pid, 'SIGKILL');
    await this.awaitDeath(name, pid);
    return {};
  }

  /** Waits for the killed process to be gone, then brings the stack back (the killed part is not a death). */
  private async awaitDeath(name: 'worker' | 'bridge' | 'temporal', pid: number): Promise<void> {
    for (const deadline = Date.now() + 5000; runningPid(this.settings.dir, name) === pid && Date.now() < deadline; ) await sleep(50);
    await this.auditAndRestore([name]);
  }

  private async auditAndRestore(takenDown: string[]): Promise<void> {
    const down = await this.watch.audit(takenDown);
    if (down.length || takenDown.length) await this.restore();
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.turn.then(work);
    this.turn = result.catch(() => undefined);
    return result;
  }
}
