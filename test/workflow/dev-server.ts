// One Temporal dev server and one workflow bundle per test file (bundling takes seconds; do it once).
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { EMAIL_SEARCH_ATTRIBUTES } from '../../src/domain/search-attributes';
import { devServerExecutable } from './temporal-binaries';

export interface DevServerOptions {
  /** Dynamic configuration of the server, e.g. { 'limit.historyCount.suggestContinueAsNew': 60 }. */
  dynamicConfig?: Record<string, string | number | boolean>;
}

export function useDevServer(options: DevServerOptions = {}): { env: () => TestWorkflowEnvironment; workflowBundle: () => WorkflowBundleWithSourceMap } {
  let env: TestWorkflowEnvironment;
  let workflowBundle: WorkflowBundleWithSourceMap;
  const extraArgs = Object.entries(options.dynamicConfig ?? {}).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]);
  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createLocal({ server: { executable: devServerExecutable(), searchAttributes: EMAIL_SEARCH_ATTRIBUTES, extraArgs } });
    workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows') });
  }, 120_000);
  afterAll(() => env?.teardown());
  return { env: () => env, workflowBundle: () => workflowBundle };
}
