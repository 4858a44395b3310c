// The test suite's own local stack: its own folder and ports (the demo's + 10000), so it runs beside
// a demo stack. TEST_STACK_PORT_OFFSET moves it further, for two test runs at once.
import { join } from 'node:path';

const offset = Number(process.env.TEST_STACK_PORT_OFFSET ?? 10000);

export const TEST_STACK_ENV: Record<string, string> = {
  STACK_DIR: join(__dirname, '..', '..', offset === 10000 ? '.stack-test' : `.stack-test-${offset}`),
  STACK_TEMPORAL_PORT: String(7233 + offset),
  STACK_TEMPORAL_UI_PORT: String(8233 + offset),
  STACK_AWS_PORT: String(4566 + offset),
  STACK_POSTGRES_PORT: String(5433 + offset),
  STACK_WEB_PORT: String(8090 + offset),
  STACK_WORKER_METRICS_PORT: String(9464 + offset),
  STACK_BRIDGE_METRICS_PORT: String(9465 + offset),
  STACK_WORKER_HEALTH_PORT: String(9466 + offset),
  STACK_BRIDGE_HEALTH_PORT: String(9467 + offset),
  // Lower than the default 40 MiB, so that a test can go over it without uploading 40 MB (hostile-input).
  MAX_RAW_EMAIL_BYTES: String(30 * 1024 * 1024),
  // Rules written by a test are seen by the worker at once.
  RULE_REFRESH_SECONDS: '0',
};
