// One Temporal dev server and one workflow bundle per test file (bundling takes seconds; do it once).
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { EMAIL_SEARCH_ATTRIBUTES } from '../../src/domain/search-attributes';
import { devServerExecutable } from './temporal-binaries';

export function useDevServer(): { env: () => TestWorkflowEnvironment; workflowBundle: () => WorkflowBundleWithSourceMap } {
  let env: TestWorkflowEnvironment;
  let workflowBundle: WorkflowBundleWithSourceMap;
  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createLocal({ server: { executable: devServerExecutable(), searchAttributes: EMAIL_SEARCH_ATTRIBUTES } });
    workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows') });
  }, 120_000);
  afterAll(() => env?.teardown());
  return { env: () => env, workflowBundle: () => workflowBundle };
}
