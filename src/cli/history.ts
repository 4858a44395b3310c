// `history export ID FILE`: saves a workflow's history as replay-test fixture JSON (historyToJSON, as
// `temporal workflow show --output json` writes it; not JSON.stringify of the proto objects).
// The payloads are written decrypted, with the client's codec: a fixture must replay whatever keys the
// test run has. So an exported history holds customer data in plain text: export test emails only.
import { writeFileSync } from 'node:fs';
import { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { codeHistoryPayloads } from '../encryption/history-payloads';

export async function exportHistory(client: Client, workflowId: string, file: string, runId?: string): Promise<number> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  // Decoded in the reverse order of encoding, as the SDK does.
  for (const codec of [...client.options.loadedDataConverter.payloadCodecs].reverse()) await codeHistoryPayloads(history, codec, 'decode');
  writeFileSync(file, historyToJSON(history));
  return history.events?.length ?? 0;
}
