// The direct run: the same emails (other senders and Message-IDs, SES message ids `direct-...`) delivered the
// same way (S3 + SNS -> SQS, with ingestEmail) to a topic and standard queue of their own, `bench-direct-<run id>`,
// consumed by the direct pipeline (direct-consumer.ts, a process of its own) with the bridge's concurrency.
// The stack's queue is not touched; the topic and queue are deleted afterwards.
import { fork } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTopicCommand, DeleteTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { Deployment } from '../operations/deployment';
import { runningPid } from '../stack/processes';
import { stackSettings } from '../stack/settings';
import { BenchEmail } from './email-mix';
import { PhaseResult, runPhase } from './run-phase';

export const directId = (runId: string, index: number) => `direct-${runId}-${String(index).padStart(6, '0')}`;
const DIRECT_PREFIX = 'bench-direct/';

export async function runDirect(
  deployment: Deployment,
  mix: BenchEmail[],
  opts: { runId: string; rate?: number; timeoutMs: number; log: (line: string) => void },
): Promise<PhaseResult & { concurrency: number }> {
  const { aws, config } = deployment;
  const name = `bench-direct-${opts.runId}`;
  const topicArn = (await aws.sns.send(new CreateTopicCommand({ Name: name }))).TopicArn!;
  const queueUrl = (await aws.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '60' } }))).QueueUrl!;
  const queueArn = (await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await aws.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));

  const concurrency = config.bridge.concurrency;
  const logPath = join(stackSettings().dir, 'bench-direct.log');
  const logFd = openSync(logPath, 'a');
  const child = fork(join(__dirname, 'direct-consumer.js'), [], {
    env: { ...process.env, BENCH_DIRECT_QUEUE_URL: queueUrl, BENCH_DIRECT_PREFIX: DIRECT_PREFIX, BENCH_DIRECT_CONCURRENCY: String(concurrency) },
    stdio: ['ignore', logFd, logFd, 'ipc'],
  });
  closeSync(logFd);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await Promise.race([
      new Promise<void>((resolve) => child.once('message', (m) => m === 'ready' && resolve())),
      exited.then((code) => Promise.reject(new Error(`The direct pipeline stopped at start (exit ${code}); see ${logPath}`))),
    ]);
    opts.log(`  direct pipeline: pid ${child.pid}, concurrency ${concurrency} (BRIDGE_CONCURRENCY), log ${logPath}`);
    const result = await runPhase({
      mix,
      identity: { runId: opts.runId, variant: 'direct' },
      idOf: (index) => directId(opts.runId, index),
      deliverConfig: { ...config, inbound: { ...config.inbound, topicArn, prefix: DIRECT_PREFIX } },
      aws,
      pool: deployment.pool,
      rate: opts.rate,
      timeoutMs: opts.timeoutMs,
      processes: { direct: child.pid ?? null, 'aws (moto)': runningPid(stackSettings().dir, 'aws') },
      log: opts.log,
    });
    return { ...result, concurrency };
  } finally {
    if (child.exitCode === null) {
      child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    await aws.sns.send(new DeleteTopicCommand({ TopicArn: topicArn })).catch(() => undefined);
    await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
  }
}
