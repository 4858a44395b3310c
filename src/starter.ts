// The bridge: consumes StackFlow-Events-Ingestion(.fifo) and starts one inbound-email workflow per email.
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createAwsClients } from './aws/clients';
import { serveHealth } from './health/health-server';
import { Bridge } from './bridge/consumer';
import { BridgeMetrics } from './bridge/metrics';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { announceReady } from './ready-file';
import { inboundStartSettings } from './bridge/start-inbound-email';
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
  const bridge = new Bridge({
    metrics,
    sqs: aws.sqs,
    temporal,
    log,
    ...inboundStartSettings(config),
    queueUrl: config.inbound.queueUrl,
    deadLetterQueueUrl: config.inbound.deadLetterQueueUrl,
    inbound: { bucket: config.inbound.bucket, prefix: config.inbound.prefix },
    concurrency: config.bridge.concurrency,
    waitTimeSeconds: config.bridge.waitTimeSeconds,
    visibilityTimeoutSeconds: config.bridge.visibilityTimeoutSeconds,
    temporalDownHoldSeconds: config.bridge.temporalDownHoldSeconds,
  });
  const stop = new AbortController();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      log.info({ signal: sig }, 'stopping: finishing the messages in hand');
      stop.abort();
    });
  }
  log.info({ queueUrl: config.inbound.queueUrl, concurrency: config.bridge.concurrency }, 'bridge ready');
  announceReady();
  await bridge.run(stop.signal);
  await temporal.connection.close();
  metricsServer?.close();
  health?.close();
  log.info({ counters: bridge.counters }, 'bridge stopped');
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
