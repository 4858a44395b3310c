// `bench`: the mix through the durable pipeline, then through the direct one, history and billing figures
// from the Temporal service, a table on stdout and the same figures as JSON.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Deployment } from '../operations/deployment';
import { runDirect } from './direct';
import { durableId, runDurable } from './durable';
import { planMix, prng } from './email-mix';
import { historyFigures, SampledEmail } from './history';
import { BenchResults, formatResults, machine, ratio } from './report';

export interface BenchOptions {
  emails: number;
  rate?: number;
  json: string;
  skipDirect: boolean;
  seed: number;
  timeoutMinutes: number;
  historySample: number;
}

export async function runBench(deployment: Deployment, options: BenchOptions, log: (line: string) => void = console.log): Promise<BenchResults> {
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const mix = planMix({ count: options.emails, seed: options.seed });
  const mixCounts: Record<string, number> = {};
  for (const e of mix) mixCounts[e.kind] = (mixCounts[e.kind] ?? 0) + 1;
  const startedAt = new Date().toISOString();
  const timeoutMs = options.timeoutMinutes * 60_000;
  log(`bench ${runId}: ${mix.length} emails (${Object.entries(mixCounts).map(([k, n]) => `${n} ${k}`).join(', ')})`);

  log('Durable pipeline (SES -> S3 + SNS -> SQS -> bridge -> Temporal workflow per email):');
  const durable = await runDurable(deployment, mix, { runId, rate: options.rate, timeoutMs, log });

  log('History and billable actions from the Temporal service:');
  const sample = sampleForHistory(mix, durable.outcomes, runId, options.historySample, options.seed);
  const history = sample.length ? await historyFigures(await deployment.temporal(), sample) : null;

  let direct = null;
  if (!options.skipDirect) {
    log('Direct pipeline (SES -> S3 + SNS -> SQS -> the same activities in sequence, no Temporal):');
    direct = await runDirect(deployment, mix, { runId, rate: options.rate, timeoutMs, log });
  }

  const results: BenchResults = {
    runId,
    seed: options.seed,
    startedAt,
    emails: mix.length,
    rate: options.rate ?? null,
    mix: mixCounts,
    machine: machine(),
    durable: { figures: durable.figures, processes: durable.processes, complete: durable.complete },
    direct: direct ? { figures: direct.figures, processes: direct.processes, complete: direct.complete, concurrency: direct.concurrency } : null,
    ratios: direct
      ? {
          throughput: ratio(durable.figures.throughputPerSecond, direct.figures.throughputPerSecond),
          p99ToIncident: ratio(durable.figures.toIncidentMs.p99, direct.figures.toIncidentMs.p99),
          p99ToConfirmation: ratio(durable.figures.toConfirmationMs.p99, direct.figures.toConfirmationMs.p99),
        }
      : null,
    history,
  };
  const path = resolve(options.json);
  writeFileSync(path, JSON.stringify(results, null, 2) + '\n');
  log('');
  log(formatResults(results));
  log(`\nJSON: ${path}`);
  return results;
}

/** Every large-attachment email, replies (up to a quarter of the sample), then a seeded random pick of the rest. */
function sampleForHistory(mix: ReturnType<typeof planMix>, outcomes: Map<string, { stage: string | null; incidentNumber: string | null; settled: boolean }>, runId: string, size: number, seed: number): SampledEmail[] {
  const all: SampledEmail[] = [];
  for (const email of mix) {
    const id = durableId(runId, email.index);
    const o = outcomes.get(id);
    if (!o || o.stage === null) continue;
    const kind = o.stage === 'confirmed' ? 'new-ticket' : o.stage === 'threaded-as-reply' ? 'reply' : o.stage;
    all.push({ sesMessageId: id, kind, large: email.kind === 'large', incidentNumber: o.incidentNumber });
  }
  if (all.length <= size) return all;
  const rand = prng(seed + 1);
  const picked = new Set<SampledEmail>(all.filter((e) => e.large));
  for (const e of all.filter((e) => e.kind === 'reply')) if (picked.size < size / 4) picked.add(e);
  const rest = all.filter((e) => !picked.has(e));
  while (picked.size < size && rest.length) picked.add(rest.splice(Math.floor(rand() * rest.length), 1)[0]);
  return [...picked];
}
