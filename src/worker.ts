// The worker: registers the workflows and the activities, built once from one validated configuration.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from './activities';
import { createAwsClients } from './aws/clients';
import { ConfigError, loadConfig } from './config';
import { sdkTuning } from './worker-tuning';
import { serveHealth } from './health/health-server';
import { countQuarantined } from './db/inbound-emails';
import { createPool, databaseAnswers } from './db/pool';
import { encryptingDataConverter } from './encryption/data-converter';
import { createLogger } from './logger';
import { announceReady } from './ready-file';
import { connectionOptions, temporalAnswers, untilConnected } from './temporal-connection';
import { installWorkerRuntime, reportQuarantineSize } from './worker-runtime';
import { replanSlaIfChanged } from './operations/sla-replan';

/** A bundle built ahead of time (npm run build) starts in milliseconds; without one the worker bundles at start. */
function workflowSource(bundlePath: string | undefined) {
  const path = bundlePath ?? join(__dirname, 'workflow-bundle.js');
  if (existsSync(path)) return { workflowBundle: { codePath: path } };
  if (bundlePath) throw new ConfigError(`Malformed configuration WORKFLOW_BUNDLE_PATH="${bundlePath}": no such file`);
  return { workflowsPath: require.resolve('./workflows') };
}

async function main(): Promise<void> {
  const log = createLogger('worker');
  const config = loadConfig();
  installWorkerRuntime(log, config.worker.metricsAddress);
  const pool = createPool(config.databaseUrl, config.databasePoolSize);
  const aws = createAwsClients(config.aws);
  const { address } = config.temporal;
  const connection = await untilConnected(address, () => NativeConnection.connect(connectionOptions(config.temporal)), log);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    // Everything the worker sends to Temporal is encrypted; histories from before encryption still decode.
    dataConverter: encryptingDataConverter(config.customerData.payloadKeys),
    ...workflowSource(config.worker.workflowBundlePath),
    activities: createActivities({ config, aws, pool }),
    // Activities in hand get this long to finish on SIGTERM before they are cancelled.
    shutdownGraceTime: config.worker.shutdownGraceMs,
    // Each parse of a large email holds it in memory several times over: bound how many run at once.
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
    ...sdkTuning(config.worker.tuning),
  });
  // Ready: Temporal answers, PostgreSQL answers, and this worker is polling.
  const health = config.workerHealthAddress
    ? serveHealth(
        config.workerHealthAddress,
        {
          temporal: () => temporalAnswers(connection),
          postgres: () => databaseAnswers(pool),
          polling: async () => {
            if (worker.getState() !== 'RUNNING') throw new Error(`worker ${worker.getState().toLowerCase()}`);
          },
        },
        log,
      )
    : undefined;
  reportQuarantineSize(() => countQuarantined(pool), log);
  // A changed SLA policy re-plans every open clock (README, SLAs); the worker polls meanwhile.
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: encryptingDataConverter(config.customerData.payloadKeys) });
  replanSlaIfChanged(client, pool, config.temporal.taskQueue, config.sla).then(
    (result) => log.info({ fingerprint: config.sla.fingerprint.slice(0, 12), result }, 'SLA policy'),
    (err) => log.error({ err }, 'SLA policy: the re-plan of open clocks did not start; restart the worker or run `sla replan`'),
  );
  log.info({ taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace, metrics: config.worker.metricsAddress }, 'worker ready');
  announceReady();
  await worker.run(); // The SDK stops the worker on SIGTERM/SIGINT.
  health?.close();
  await connection.close();
  await pool.end();
  log.info('worker stopped');
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
