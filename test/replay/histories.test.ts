// Every recorded history (test/histories/*.json, from real runs) replays against today's workflow code.
// A change that breaks determinism fails here; change running workflows with patched() instead.
// The worker replays with the payload codec, as in production: the fixtures (recorded unencrypted, or
// written decrypted by `history export`) pass through it, and a history encrypted as Temporal now
// stores it replays too.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { RECORDED_SCENARIOS } from '../../src/cli/record-histories';
import { INBOUND_EMAIL_VERSION } from '../../src/workflows';
import { encryptingDataConverter } from '../../src/encryption/data-converter';
import { codeHistoryPayloads } from '../../src/encryption/history-payloads';
import { parseKeyRing } from '../../src/encryption/key-ring';
import { EncryptionCodec } from '../../src/encryption/payload-codec';

const DIR = join(__dirname, '..', 'histories');
/** Everything in the folder: a file that is not a JSON history is not replayed, and fails the listing test. */
const entries = readdirSync(DIR);
const files = entries.filter((f) => f.endsWith('.json'));
/** The prefix of the fixtures recorded with today's workflow code (`history record --prefix v8-`): version 4. */
const CURRENT = 'v8-';
const load = (file: string) => historyFromJSON(JSON.parse(readFileSync(join(DIR, file), 'utf8')));
let workflowBundle: WorkflowBundleWithSourceMap;
const keys = parseKeyRing(`replay-1:${Buffer.alloc(32, 1).toString('base64')}`);
const dataConverter = encryptingDataConverter(keys);

beforeAll(async () => {
  workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows') });
}, 60_000);

test('the current version has a fixture of every scenario `history record` runs', () => {
  expect(RECORDED_SCENARIOS.map((name) => `${CURRENT}${name}.json`).filter((file) => !entries.includes(file))).toEqual([]);
});

test.each(files)('%s replays without non-determinism', async (file) => {
  const workflowId = file.replace(/\.json$/, '');
  await expect(Worker.runReplayHistory({ workflowBundle, dataConverter }, load(file), workflowId)).resolves.toBeUndefined();
});

test('every file in test/histories is replayed, together, with runReplayHistories', async () => {
  const histories = files.map((file) => ({ workflowId: file.replace(/\.json$/, ''), history: load(file) }));
  const results: { workflowId: string; error?: unknown }[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle, dataConverter }, histories)) results.push(result);
  // What was replayed is what the folder holds: no file left out (another extension, a failed load).
  expect(results.map((r) => `${r.workflowId}.json`).sort()).toEqual([...entries].sort());
  expect(results.filter((r) => r.error !== undefined).map((r) => [r.workflowId, String(r.error)])).toEqual([]);
});

describe('histories as Temporal stores them now, every payload encrypted', () => {
  /**
   * Every payload the SDK encodes: not the markers' own details, which the SDK's core writes itself
   * (patch data, a local activity's bookkeeping); of a local activity's marker only its result.
   */
  async function encrypted(file: string, ring = keys) {
    const history = load(file);
    const coreDetails = (history.events ?? []).map((event) => {
      const details = event.markerRecordedEventAttributes?.details;
      if (!details) return null;
      const own = Object.fromEntries(Object.entries(details).filter(([name]) => name !== 'result'));
      for (const name of Object.keys(own)) delete details[name];
      return own;
    });
    await codeHistoryPayloads(history, new EncryptionCodec(ring), 'encode');
    coreDetails.forEach((own, i) => own && Object.assign(history.events![i].markerRecordedEventAttributes!.details!, own));
    return history;
  }

  test.each([`${CURRENT}new-ticket.json`, `${CURRENT}thread-agent-comment-and-reply.json`, `${CURRENT}quarantine-release.json`])('%s, encrypted, replays', async (file) => {
    const history = await encrypted(file);
    // Really encrypted: the workflow input's payload is no longer JSON.
    const input = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
    expect(Buffer.from(input.metadata!.encoding!).toString()).toBe('binary/encrypted');
    await expect(Worker.runReplayHistory({ workflowBundle, dataConverter }, history, file)).resolves.toBeUndefined();
  });

  test('encrypted with a key the worker does not have, it does not replay', async () => {
    const history = await encrypted(`${CURRENT}new-ticket.json`, parseKeyRing(`gone:${Buffer.alloc(32, 9).toString('base64')}`));
    // The task failure's message ("payload encrypted with key gone, which is not among the configured
    // payload keys") is itself encrypted, as every failure message is (README, Customer data in Temporal).
    await expect(Worker.runReplayHistory({ workflowBundle, dataConverter }, history, 'unknown-key')).rejects.toThrow(/Replay failed due workflow task failure.*Encoded failure/);
  });
});

describe('a non-deterministic change fails replay of a recorded history, for the reason it is non-deterministic', () => {
  async function replayWith(workflowsDir: string): Promise<unknown> {
    const changed = await bundleWorkflowCode({ workflowsPath: require.resolve(workflowsDir) });
    return Worker.runReplayHistory({ workflowBundle: changed, dataConverter }, load(`${CURRENT}new-ticket.json`), 'new-ticket').then(
      () => null,
      (err: unknown) => err,
    );
  }

  test('the spam check moved in front of parsing: the activity scheduled does not match the history', async () => {
    const err = await replayWith('./changed-workflow');
    expect(err).toBeInstanceOf(DeterminismViolationError);
    expect((err as Error).message).toContain("Activity type of scheduled event 'parseInboundEmail' does not match activity type of activity command 'checkSpam'");
  }, 60_000);

  test('the version marker removed: the recorded patch marker has no command', async () => {
    const err = await replayWith('./dropped-patch-workflow');
    expect(err).toBeInstanceOf(DeterminismViolationError);
    expect((err as Error).message).toContain(`Non-deprecated patch marker encountered for change ${INBOUND_EMAIL_VERSION}, but there is no corresponding change command`);
  }, 60_000);
});
