// `faults`: the fault-injection run. N emails through the real path while, at seeded random points, the
// worker is SIGKILLed and restarted (several times), the bridge too, the Temporal dev server is restarted
// with its database kept, PostgreSQL is stopped for a while and, separately, crashed while transactions
// are open, and SES fails for a while. Meanwhile every part must stay up unless a fault stopped it. Then
// the checks (checks.ts).
import { randomBytes } from 'node:crypto';
import { ingestEmail } from '../operations/ingest-email';
import { Deployment } from '../operations/deployment';
import { deliverMix } from '../bench/deliver';
import { buildRawEmail, MixIdentity, planMix, prng } from '../bench/email-mix';
import { OutcomeTracker } from '../bench/outcomes';
import { stackUp } from '../stack/local-stack';
import { sleep, stopProcess } from '../stack/processes';
import { stackSettings } from '../stack/settings';
import { runChecks } from './checks';
import { AppliedFault } from './evidence';
import { Check } from './expectations';
import { FaultInjector } from './injector';
import { FaultKind, faultSchedule } from './schedule';
import { SesOutageProxy } from './ses-outage-proxy';

/** How often the run looks for a part that died by itself. */
const WATCH_INTERVAL_MS = 2000;

export interface FaultRunOptions {
  emails: number;
  /** Emails per second delivered. */
  rate: number;
  seed: number;
  workerKills: number;
  outageSeconds: number;
  timeoutMinutes: number;
  /** The faults applied once each (default: every kind but the worker kill, whose count is workerKills). */
  onceEach?: FaultKind[];
}

export interface FaultRunResult {
  runId: string;
  faults: AppliedFault[];
  checks: Check[];
  ok: boolean;
  /** From the first delivery to the end of the checks. */
  seconds: number;
}

export async function runFaults(deployment: Deployment, o: FaultRunOptions, log: (line: string) => void = console.log): Promise<FaultRunResult> {
  const settings = stackSettings();
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const rand = prng(o.seed);
  const mix = planMix({ count: o.emails, seed: o.seed });
  const identity: MixIdentity = { runId, variant: 'durable' };
  const idOf = (index: number) => `fault-${runId}-${String(index).padStart(6, '0')}`;
  // The faults fill about the delivery window, one after another.
  const deliveryMs = (o.emails / o.rate) * 1000;
  const schedule = faultSchedule(rand, { workerKills: o.workerKills, outageMs: o.outageSeconds * 1000, maxGapMs: Math.max(2000, deliveryMs / (o.workerKills + 5)), onceEach: o.onceEach });

  log(`fault run ${runId}: ${mix.length} emails at ${o.rate}/s; faults: ${schedule.map((f) => f.kind).join(', ')}`);
  await stackUp(() => undefined);
  const { endpoint, sesEndpoint } = deployment.config.aws;
  const proxy = new SesOutageProxy(new URL(endpoint!), new URL(sesEndpoint ?? endpoint!));
  const proxyUrl = await proxy.start();
  const injector = new FaultInjector(settings, proxy, { AWS_ENDPOINT_URL: proxyUrl, AWS_ENDPOINT_URL_SES: proxyUrl }, deployment.pool);
  // The worker talks to AWS through the proxy for the whole run, SES included (the proxy passes SES on
  // to the stack's SES endpoint).
  await stopProcess(settings.dir, 'worker');
  await injector.restore();

  const tracker = new OutcomeTracker(deployment.pool);
  const applied: AppliedFault[] = [];
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      await injector.checkParts().catch((err: Error) => injector.watch.recordFailedRestore(err));
      await sleep(WATCH_INTERVAL_MS);
    }
  })();
  try {
    log('  delivering');
    const started = Date.now();
    const delivering = deliverMix(mix, {
      rate: o.rate,
      deliver: (email) => ingestEmail(deployment.aws, deployment.config, buildRawEmail(mix, email, identity, deployment.config.ticketAddress), { messageId: idOf(email.index) }),
      settled: (index) => tracker.isSettled(idOf(index)),
      onDelivered: (d) => tracker.watch(d.sesMessageId),
      // A customer answers after the confirmation: a reply sent before its parent's incident exists would
      // rightly become a new incident, which the checks would blame on the product.
      parentWaitMs: o.timeoutMinutes * 60_000,
    });
    const injecting = (async () => {
      for (const fault of schedule) {
        await sleep(fault.gapMs);
        log(`  ${new Date().toISOString().slice(11, 19)} ${fault.kind}${fault.outageMs ? ` for ${fault.outageMs / 1000} s` : ''}`);
        const result = await injector.apply(fault);
        if (result.error) log(`    failed: ${result.error}`);
        applied.push(result);
      }
    })();
    // Outcomes are polled meanwhile, so that replies go out after their parent's outcome.
    let polling = true;
    const poller = (async () => {
      while (polling) {
        await tracker.poll().catch(() => undefined); // fails while PostgreSQL is stopped: polled again
        await sleep(1000);
      }
    })();
    const { deliveries, failed } = await delivering;
    await injecting;
    polling = false;
    await poller;
    log(`  delivered ${deliveries.length} emails${failed.length ? `; ${failed.length} deliveries failed (${failed[0].error})` : ''}; all faults applied`);
    const complete = await tracker.waitAll({ deadline: Date.now() + o.timeoutMinutes * 60_000, expected: () => deliveries.length, onProgress: (n) => log(`  ${n} of ${deliveries.length} emails have their outcome`) });
    if (!complete) log(`  timed out: ${tracker.pending} emails without an outcome`);
    // The bridge deletes a message just after its start is accepted: give the last deletes a moment.
    await sleep(3000);
    watching = false;
    await watcher;
    await injector.checkParts().catch((err: Error) => injector.watch.recordFailedRestore(err));
    const checks = await runChecks(deployment, { mix, idOf, failedDeliveries: failed, faults: applied, deaths: injector.watch.deaths });
    return { runId, faults: applied, checks, ok: checks.every((c) => c.ok), seconds: Math.round((Date.now() - started) / 1000) };
  } finally {
    watching = false;
    await watcher;
    proxy.sesDown = false;
    await stopProcess(settings.dir, 'worker');
    await stackUp(() => undefined);
    await proxy.stop();
  }
}

export function formatChecks(result: FaultRunResult): string {
  const width = Math.max(...result.checks.map((c) => c.name.length));
  return [
    `Fault run ${result.runId}: ${result.faults.length} faults (${result.faults.map((f) => f.kind).join(', ')}), ${result.seconds} s`,
    ...result.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(width)}  ${c.detail}`),
    result.ok ? 'All checks passed: nothing lost, nothing duplicated.' : 'Some checks FAILED.',
  ].join('\n');
}
