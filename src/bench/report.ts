// The benchmark's output: one JSON document, and a table of the same figures for people.
import { cpus, totalmem } from 'node:os';
import { HistoryFigures } from './history';
import { ProcessFigures } from './process-sampler';
import { Percentiles, RunFigures } from './stats';

export interface BenchResults {
  runId: string;
  seed: number;
  startedAt: string;
  emails: number;
  rate: number | null;
  mix: Record<string, number>;
  machine: { cpus: number; cpuModel: string; totalMemoryGb: number; node: string; platform: string; temporal: string };
  durable: { figures: RunFigures; processes: ProcessFigures[]; complete: boolean };
  direct: { figures: RunFigures; processes: ProcessFigures[]; complete: boolean; concurrency: number } | null;
  ratios: { throughput: number | null; p99ToIncident: number | null; p99ToConfirmation: number | null } | null;
  history: HistoryFigures | null;
}

export function machine(): BenchResults['machine'] {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    totalMemoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    temporal: 'Temporal CLI dev server (temporal server start-dev), SQLite persistence, on the same machine',
  };
}

export const ratio = (a: number | null | undefined, b: number | null | undefined) => (a != null && b ? Math.round((a / b) * 100) / 100 : null);

const num = (v: number | null | undefined, digits = 0) => (v == null ? '-' : v.toFixed(digits));
const ms = (p: Percentiles) => `${num(p.p50)} / ${num(p.p95)} / ${num(p.p99)}`;
const kb = (v: number | null | undefined) => (v == null ? '-' : `${(v / 1024).toFixed(1)} KB`);

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (cell ?? '').padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

/** Outcomes by stage, in a fixed order: the two pipelines run one decision order, so they must match. */
const tally = (stages: Record<string, number>) =>
  Object.entries(stages)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

export function formatResults(r: BenchResults): string {
  const d = r.durable.figures;
  const x = r.direct?.figures;
  const lines: string[] = [];
  lines.push(`Benchmark ${r.runId}: ${r.emails} emails (${Object.entries(r.mix).map(([k, n]) => `${n} ${k}`).join(', ')}), ${r.rate ? `${r.rate}/s` : 'as fast as possible'}, seed ${r.seed}`);
  lines.push(`Machine: ${r.machine.cpus} CPUs (${r.machine.cpuModel}), ${r.machine.totalMemoryGb} GB, Node ${r.machine.node}; ${r.machine.temporal}`);
  lines.push('');
  lines.push(
    table([
      ['', 'durable', 'direct', 'durable/direct'],
      ['emails with an outcome', `${d.settled}/${d.emails}`, x ? `${x.settled}/${x.emails}` : '-', ''],
      ['delivery (s)', num(d.deliverySeconds, 1), num(x?.deliverySeconds, 1), ''],
      ['first delivery -> last outcome (s)', num(d.elapsedSeconds, 1), num(x?.elapsedSeconds, 1), ''],
      ['throughput (emails/s)', num(d.throughputPerSecond, 2), num(x?.throughputPerSecond, 2), num(r.ratios?.throughput, 2)],
      ['delivery -> incident p50/p95/p99 (ms)', ms(d.toIncidentMs), x ? ms(x.toIncidentMs) : '-', `p99 ${num(r.ratios?.p99ToIncident, 2)}`],
      ['delivery -> confirmation p50/p95/p99 (ms)', ms(d.toConfirmationMs), x ? ms(x.toConfirmationMs) : '-', `p99 ${num(r.ratios?.p99ToConfirmation, 2)}`],
      ['outcomes', tally(d.stages), x ? tally(x.stages) : '-', x ? (tally(d.stages) === tally(x.stages) ? 'same' : 'DIFFERENT') : ''],
    ]),
  );
  const h = r.history;
  if (h) {
    lines.push('');
    lines.push(`History (${h.sampled} inbound-email workflows${h.stillRunning ? `, ${h.stillRunning} still running` : ''}):`);
    lines.push(
      table([
        ['', 'mean', 'max', 'max, large-attachment emails'],
        ['events per email', num(h.events.mean, 1), num(h.events.max), num(h.events.maxLarge)],
        ['history bytes per email', kb(h.bytes.mean), kb(h.bytes.max), kb(h.bytes.maxLarge)],
      ]),
    );
    lines.push('');
    lines.push(`Billable actions (Temporal Cloud rules, ${h.billingRules}):`);
    const kinds = Object.entries(h.byKind);
    lines.push(
      table([
        ['kind', 'emails', 'own history mean', 'max', 'with thread side', 'by rule (mean)'],
        ...kinds.map(([kind, k]) => [kind, String(k.count), num(k.actionsMean, 2), num(k.actionsMax), num(k.actionsWithThreadMean, 2), Object.entries(k.byRule).map(([rule, n]) => `${rule} ${n}`).join(', ')]),
      ]),
    );
    lines.push(`  thread workflows: ${h.threads.workflows} sampled, ${h.threads.signals} signals, ${h.threads.actions} actions (${num(h.threads.actionsPerSignal, 2)} per signal, added to an email per signal it sent)`);
  }
  lines.push('');
  lines.push('Processes (peak RSS MB, CPU seconds during the phase, peak cores over 250 ms):');
  const procs = [...r.durable.processes.map((p) => ({ ...p, phase: 'durable' })), ...(r.direct?.processes ?? []).map((p) => ({ ...p, phase: 'direct' }))];
  lines.push(table([['phase', 'process', 'pid', 'peak RSS (MB)', 'CPU (s)', 'peak cores'], ...procs.map((p) => [p.phase, p.name, String(p.pid ?? '-'), num(p.peakRssMb, 1), num(p.cpuSeconds, 1), num(p.peakCpuCores, 2)])]));
  return lines.join('\n');
}
