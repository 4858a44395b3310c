// Every payload of a whole history through a codec: `history export` and `history record` write
// fixtures decrypted (so they replay with any key, and hold only the recorder's test data), and the
// replay test encrypts a recorded history to replay it as a worker would find it in Temporal.
// The SDK's payload visitor knows each field of each event that carries payloads (marked @internal in
// SDK 1.24: pinned, and the replay test exercises it).
import type { PayloadCodec } from '@temporalio/common';
import { visit, walkGetWorkflowExecutionHistoryResponse } from '@temporalio/common/lib/internal-non-workflow';
import type { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;

/** Changes the history in place. Search attributes are left alone: they are never encoded. */
export async function codeHistoryPayloads(history: History, codec: PayloadCodec, direction: 'encode' | 'decode'): Promise<History> {
  await visit({ history }, walkGetWorkflowExecutionHistoryResponse, {
    transformPayload: async (payload) => (await codec[direction]([payload]))[0],
    transformPayloads: (payloads) => codec[direction](payloads),
    skipSearchAttributes: true,
  });
  return history;
}
