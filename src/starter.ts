// The bridge: consumes StackFlow-Events-Ingestion(.fifo) and starts one inbound-email workflow per email,
// and, when DELIVERY_EVENTS_QUEUE_URL is set, the configuration set's events: one delivery-feedback
// workflow per event. Both loops share the process, the Temporal client and its health.
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createAwsClients } from './aws/clients';
import { serveHealth } from './health/health-server';
import { Bridge } from './bridge/consumer';
import { BridgeMetrics } from './bridge/metrics';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { announceReady } from './ready-file';
import { inboundStartSettings } from './bridge/start-inbound-email';
import { inboundEmailWork } from './bridge/inbound-work';
import { deliveryEventWork } from './bridge/delivery-event-work';
import { createTemporalClient, temporalAnswers } from './temporal-connection';

async function main(): Promise<void> {
  const log = createLogger('bridge');
  const config = loadConfig();
  const aws = createAwsClients(config.aws);
  const temporal = await createTemporalClient(config, log);
  const metrics = new BridgeMetrics();
  const metricsServer = config.bridgeMetricsAddress ? metrics.serve(config.bridgeMetricsAddress) : undefined;
  // Ready: Temporal answers and the queue can be read.
  const health = config.bridgeHealthAddress
    ? serveHealth(
        config.bridgeHealthAddress,
        {
          temporal: () => temporalAnswers(temporal.connection),
          sqs: () => aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: config.inbound.queueUrl, AttributeNames: ['QueueArn'] })),
        },
        log,
      )
    : undefined;
  const common = {
    sqs: aws.sqs,
    temporal,
    log,
    concurrency: config.bridge.concurrency,
    waitTimeSeconds: config.bridge.waitTimeSeconds,
    visibilityTimeoutSeconds: config.bridge.visibilityTimeoutSeconds,
    temporalDownHoldSeconds: config.bridge.temporalDownHoldSeconds,
  };
  const bridge = new Bridge({
    ...common,
    metrics,
    queueUrl: config.inbound.queueUrl,
    deadLetterQueueUrl: config.inbound.deadLetterQueueUrl,
    work: inboundEmailWork(temporal, inboundStartSettings(config), { bucket: config.inbound.bucket, prefix: config.inbound.prefix }),
  });
  const deliveryEvents = config.delivery.eventsQueue;
  const feedback = deliveryEvents
    ? new Bridge({ ...common, metrics: metrics.deliveryEvents, ...deliveryEvents, work: deliveryEventWork(temporal, config.temporal.taskQueue) })
    : null;
  const stop = new AbortController();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      log.info({ signal: sig }, 'stopping: finishing the messages in hand');
      stop.abort();
    });
  }
  log.info({ queueUrl: config.inbound.queueUrl, deliveryEventsQueueUrl: deliveryEvents?.queueUrl ?? null, concurrency: config.bridge.concurrency }, 'bridge ready');
  announceReady();
  await Promise.all([bridge.run(stop.signal), feedback?.run(stop.signal)]);
  await temporal.connection.close();
  metricsServer?.close();
  health?.close();
  log.info({ counters: bridge.counters, deliveryEvents: feedback?.counters ?? null }, 'bridge stopped');
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
