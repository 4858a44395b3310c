// `history export ID FILE`: saves a workflow's history as replay-test fixture JSON (historyToJSON, as
// `temporal workflow show --output json` writes it; not JSON.stringify of the proto objects).
import { writeFileSync } from 'node:fs';
import { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export async function exportHistory(client: Client, workflowId: string, file: string, runId?: string): Promise<number> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  writeFileSync(file, historyToJSON(history));
  return history.events?.length ?? 0;
}
