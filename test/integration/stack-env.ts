// The test suite's own local stack: its own folder and ports, so it runs beside a demo stack.
import { join } from 'node:path';

export const TEST_STACK_ENV: Record<string, string> = {
  STACK_DIR: join(__dirname, '..', '..', '.stack-test'),
  STACK_TEMPORAL_PORT: '17233',
  STACK_TEMPORAL_UI_PORT: '18233',
  STACK_AWS_PORT: '14566',
  STACK_POSTGRES_PORT: '15433',
  NODE_NO_WARNINGS: '1',
};
