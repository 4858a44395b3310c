// The worker's Temporal runtime: SDK and our own metrics on one Prometheus endpoint, and the SDK's logs
// (with workflow id, run id, activity type) as the same JSON lines as ours.
import { DefaultLogger, LogLevel, Runtime } from '@temporalio/worker';
import type { Logger } from './logger';

export function installWorkerRuntime(log: Logger, metricsAddress: string | undefined): void {
  const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };
  Runtime.install({
    logger: new DefaultLogger('INFO', (entry) => log[levels[entry.level]]({ ...entry.meta }, entry.message)),
    ...(metricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress } } } } : {}),
  });
}

/** Emails waiting in quarantine, as a gauge, read from PostgreSQL every 30 s. */
export function reportQuarantineSize(count: () => Promise<number>, log: Logger): NodeJS.Timeout {
  const gauge = Runtime.instance().metricMeter.createGauge('email_to_ticket_quarantine_size', 'int', 'emails', 'emails waiting in quarantine');
  const update = () =>
    count()
      .then((n) => gauge.set(n))
      .catch((err) => log.warn({ err: (err as Error).message }, 'could not count the quarantine'));
  void update();
  return setInterval(update, 30_000).unref();
}
