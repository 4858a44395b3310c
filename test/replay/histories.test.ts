// Every recorded history (test/histories/*.json, from real runs) replays against today's workflow code.
// A change that breaks determinism fails here; change running workflows with patched() instead.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';

const DIR = join(__dirname, '..', 'histories');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows') });
}, 60_000);

test('there are recorded histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(3);
});

test.each(files)('%s replays without non-determinism', async (file) => {
  const history = historyFromJSON(JSON.parse(readFileSync(join(DIR, file), 'utf8')));
  const workflowId = file.replace(/\.json$/, '');
  await expect(Worker.runReplayHistory({ workflowBundle }, history, workflowId)).resolves.toBeUndefined();
});

test('all histories replay together with runReplayHistories', async () => {
  const histories = files.map((file) => ({
    workflowId: file.replace(/\.json$/, ''),
    history: historyFromJSON(JSON.parse(readFileSync(join(DIR, file), 'utf8'))),
  }));
  const results: { workflowId: string; error?: unknown }[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) results.push(result);
  expect(results.map((r) => [r.workflowId, r.error])).toEqual(histories.map((h) => [h.workflowId, undefined]));
});

test('a non-deterministic change to the workflow fails replay of a recorded history', async () => {
  const changed = await bundleWorkflowCode({ workflowsPath: require.resolve('./changed-workflow') });
  const history = historyFromJSON(JSON.parse(readFileSync(join(DIR, 'new-ticket.json'), 'utf8')));
  await expect(Worker.runReplayHistory({ workflowBundle: changed }, history, 'new-ticket')).rejects.toThrow(DeterminismViolationError);
}, 60_000);
