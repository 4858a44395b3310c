// One measured phase (durable or direct): deliver the mix through S3 + SNS -> SQS with ingestEmail, watch
// PostgreSQL for each email's outcome, sample the processes doing the work, and compute the figures.
import { Pool } from 'pg';
import { AwsClients } from '../aws/clients';
import { ingestEmail } from '../operations/ingest-email';
import { Config } from '../config';
import { Delivery, deliverMix } from './deliver';
import { BenchEmail, buildRawEmail, MixIdentity } from './email-mix';
import { Outcome, OutcomeTracker } from './outcomes';
import { ProcessFigures, ProcessSampler } from './process-sampler';
import { RunFigures, runFigures } from './stats';

export interface PhaseOptions {
  mix: BenchEmail[];
  identity: MixIdentity;
  /** SES message id of the email at this index. */
  idOf: (index: number) => string;
  /** The configuration ingestEmail delivers with (bucket, prefix, topic). */
  deliverConfig: Config;
  aws: AwsClients;
  pool: Pool;
  rate?: number;
  timeoutMs: number;
  processes: Record<string, number | null>;
  log: (line: string) => void;
}

export interface PhaseResult {
  figures: RunFigures;
  processes: ProcessFigures[];
  deliveries: Delivery[];
  outcomes: Map<string, Outcome>;
  complete: boolean;
}

export async function runPhase(o: PhaseOptions): Promise<PhaseResult> {
  const tracker = new OutcomeTracker(o.pool);
  // The benchmark itself (delivering, parsing in ingestEmail as the SES stand-in) shares the machine: shown too.
  const sampler = new ProcessSampler({ ...o.processes, 'bench (load)': process.pid }).start();
  let deliveryDone = false;
  const deadline = Date.now() + o.timeoutMs;
  const waiting = tracker.waitAll({
    deadline,
    expected: () => (deliveryDone ? tracker.outcomes.size : Infinity),
    onProgress: (settled) => o.log(`  ${settled} of ${o.mix.length} emails have their outcome`),
  });
  const { deliveries, failed } = await deliverMix(o.mix, {
    rate: o.rate,
    deliver: (email) => ingestEmail(o.aws, o.deliverConfig, buildRawEmail(o.mix, email, o.identity, o.deliverConfig.ticketAddress), { messageId: o.idOf(email.index) }),
    settled: (index) => tracker.isSettled(o.idOf(index)),
    onDelivered: (d) => tracker.watch(d.sesMessageId),
  });
  deliveryDone = true;
  const first = Math.min(...deliveries.map((d) => d.deliveredAt));
  const last = Math.max(...deliveries.map((d) => d.deliveredAt));
  o.log(`  delivered ${deliveries.length} emails in ${((last - first) / 1000).toFixed(1)} s${failed.length ? `; ${failed.length} deliveries failed: ${failed[0].error}` : ''}`);
  const complete = await waiting;
  if (!complete) o.log(`  timed out: ${tracker.pending} emails without an outcome`);
  const processes = sampler.stop();
  return { figures: runFigures(o.mix.length, deliveries, failed.length, tracker.outcomes), processes, deliveries, outcomes: tracker.outcomes, complete };
}
