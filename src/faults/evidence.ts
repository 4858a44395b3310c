// Whether the faults did what the run says they did, and whether anything failed that no fault caused:
// an SES outage that refused no call tested nothing; a PostgreSQL restart between transactions tested
// less than one during them; a part of the stack that died by itself is a failure, whatever the emails show.
import { Check } from './expectations';
import { FaultKind } from './schedule';

export interface AppliedFault {
  kind: FaultKind;
  at: string;
  outageMs: number;
  /** ses-outage: SES calls the proxy refused meanwhile. */
  sesRefused?: number;
  /** restart-postgres: transactions open (other sessions) just before the server went down. */
  transactionsInFlight?: number;
  /** kill-worker-mid-send: the SES message id of the send SES accepted as the worker was killed. */
  interruptedSend?: string;
  /** Why the fault or the restore after it did not complete. */
  error?: string;
}

/** A part of the stack found down when no fault had taken it down. */
export interface PartDeath {
  part: string;
  /** When it was found down (ISO time). */
  at: string;
  logTail: string;
}

export function faultChecks(applied: AppliedFault[], deaths: PartDeath[]): Check[] {
  const checks: Check[] = [];
  const outages = applied.filter((f) => f.kind === 'ses-outage');
  if (outages.length) {
    const refused = outages.map((f) => f.sesRefused ?? 0);
    checks.push({ name: 'the SES outage refused calls', ok: refused.every((n) => n > 0), detail: `SES calls refused: ${refused.join(', ')}` });
  }
  const restarts = applied.filter((f) => f.kind === 'restart-postgres');
  if (restarts.length) {
    const open = restarts.map((f) => f.transactionsInFlight ?? 0);
    checks.push({ name: 'PostgreSQL restarted with transactions in flight', ok: open.every((n) => n > 0), detail: `transactions open at the restart: ${open.join(', ')}` });
  }
  const midSend = applied.filter((f) => f.kind === 'kill-worker-mid-send');
  if (midSend.length) {
    checks.push({
      name: 'a worker killed between SES accepting its send and hearing so',
      ok: midSend.every((f) => f.interruptedSend !== undefined),
      detail: `sends interrupted: ${midSend.map((f) => f.interruptedSend ?? 'none').join(', ')}`,
    });
  }
  const failedFaults = applied.filter((f) => f.error !== undefined);
  checks.push({
    name: 'every fault applied and the stack restored after it',
    ok: failedFaults.length === 0,
    detail: failedFaults.length ? failedFaults.map((f) => `${f.kind} at ${f.at}: ${f.error}`).join(' | ') : `${applied.length} faults`,
  });
  checks.push({
    name: 'no part of the stack died by itself',
    ok: deaths.length === 0,
    detail: deaths.length ? deaths.map((d) => `${d.part} found down at ${d.at}; last lines of its log:\n${d.logTail}`).join('\n') : 'none',
  });
  return checks;
}
