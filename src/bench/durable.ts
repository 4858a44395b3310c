// The durable run: the mix through the real path (S3 + SNS -> SQS -> bridge -> one workflow per email on
// the worker), measured on the stack `stack up` started; the worker's, bridge's and Temporal's processes sampled.
import { Deployment } from '../operations/deployment';
import { runningPid } from '../stack/processes';
import { stackSettings } from '../stack/settings';
import { BenchEmail } from './email-mix';
import { PhaseResult, runPhase } from './run-phase';

export const durableId = (runId: string, index: number) => `bench-${runId}-${String(index).padStart(6, '0')}`;

export async function runDurable(
  deployment: Deployment,
  mix: BenchEmail[],
  opts: { runId: string; rate?: number; timeoutMs: number; log: (line: string) => void },
): Promise<PhaseResult> {
  const dir = stackSettings().dir;
  // moto stands in for S3, SNS, SQS and SES: one Python process that both pipelines share, shown too.
  const processes = { worker: runningPid(dir, 'worker'), bridge: runningPid(dir, 'bridge'), temporal: runningPid(dir, 'temporal'), 'aws (moto)': runningPid(dir, 'aws') };
  if (!processes.worker || !processes.bridge) throw new Error(`No worker or bridge running under ${dir}: start the stack with \`npx email-to-ticket stack up\` (same STACK_DIR)`);
  return runPhase({
    mix,
    identity: { runId: opts.runId, variant: 'durable' },
    idOf: (index) => durableId(opts.runId, index),
    deliverConfig: deployment.config,
    aws: deployment.aws,
    pool: deployment.pool,
    rate: opts.rate,
    timeoutMs: opts.timeoutMs,
    processes,
    log: opts.log,
  });
}
