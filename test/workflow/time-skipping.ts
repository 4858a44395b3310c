// The time-skipping test server and the workflow bundle, made once per test file (before its tests,
// torn down after them): workflows that sleep for minutes or days run in milliseconds.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { testServerExecutable } from './temporal-binaries';

export interface TimeSkipping {
  env: TestWorkflowEnvironment;
  workflowBundle: WorkflowBundleWithSourceMap;
}

/** Call at the top of a test file; the returned object is filled in before the first test runs. */
export function useTimeSkipping(): TimeSkipping {
  const made = {} as TimeSkipping;
  beforeAll(async () => {
    made.env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: testServerExecutable() } });
    made.workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows') });
  }, 120_000);
  afterAll(() => made.env?.teardown());
  return made;
}
