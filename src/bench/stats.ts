// Percentiles, means and the throughput/latency figures of one run, from deliveries and outcomes.
import { Delivery } from './deliver';
import { finishedAt, Outcome } from './outcomes';

export interface Percentiles {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** Nearest-rank percentiles of millisecond values. */
export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : null);
  return { count: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted.length ? sorted[sorted.length - 1] : null };
}

export interface RunFigures {
  emails: number;
  delivered: number;
  deliveryFailures: number;
  settled: number;
  /** From the first delivery to the last incident, comment or confirmation. */
  elapsedSeconds: number | null;
  deliverySeconds: number | null;
  throughputPerSecond: number | null;
  /** Delivery -> incident row (for a reply: the comment on the incident). */
  toIncidentMs: Percentiles;
  /** Delivery -> confirmation sent. */
  toConfirmationMs: Percentiles;
  stages: Record<string, number>;
}

export function runFigures(emails: number, deliveries: Delivery[], failures: number, outcomes: Map<string, Outcome>): RunFigures {
  const toIncident: number[] = [];
  const toConfirmation: number[] = [];
  const stages: Record<string, number> = {};
  let firstDelivery = Infinity;
  let lastDelivery = -Infinity;
  let lastFinish = -Infinity;
  let settled = 0;
  for (const d of deliveries) {
    firstDelivery = Math.min(firstDelivery, d.deliveredAt);
    lastDelivery = Math.max(lastDelivery, d.deliveredAt);
    const o = outcomes.get(d.sesMessageId);
    if (!o) continue;
    const stage = o.settled ? (o.stage ?? 'unknown') : `unsettled (${o.stage ?? 'not started'})`;
    stages[stage] = (stages[stage] ?? 0) + 1;
    if (!o.settled) continue;
    settled++;
    const incidentAt = o.stage === 'threaded-as-reply' ? o.commentAt : o.incidentAt;
    if (incidentAt !== null) toIncident.push(incidentAt - d.deliveredAt);
    if (o.confirmationAt !== null) toConfirmation.push(o.confirmationAt - d.deliveredAt);
    const end = finishedAt(o);
    if (end !== null) lastFinish = Math.max(lastFinish, end);
  }
  const elapsed = Number.isFinite(firstDelivery) && Number.isFinite(lastFinish) ? (lastFinish - firstDelivery) / 1000 : null;
  return {
    emails,
    delivered: deliveries.length,
    deliveryFailures: failures,
    settled,
    elapsedSeconds: elapsed,
    deliverySeconds: Number.isFinite(firstDelivery) ? (lastDelivery - firstDelivery) / 1000 : null,
    throughputPerSecond: elapsed && elapsed > 0 ? settled / elapsed : null,
    toIncidentMs: percentiles(toIncident),
    toConfirmationMs: percentiles(toConfirmation),
    stages,
  };
}

export const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
export const max = (values: number[]) => (values.length ? Math.max(...values) : null);
