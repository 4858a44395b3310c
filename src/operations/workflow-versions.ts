// `versions`: the open runs of each workflow, grouped by the version of the code they run. Every run of
// the current code carries its version marker in TemporalChangeVersion (workflows/versions.ts); a run
// without it is version 1 and shows the patches it took. A version's code may be removed once it has
// no open run (README, "Retiring a workflow version").
import { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { inboundEmail, incidentThread, WORKFLOW_VERSIONS } from '../workflows';

/** Written by the SDK with each patch marker (not billed); a system attribute of every namespace. */
const CHANGE_VERSION = defineSearchAttributeKey('TemporalChangeVersion', SearchAttributeType.KEYWORD_LIST);

export interface OpenRunsOfVersion {
  workflowType: string;
  /** The current version's marker, or '1' for runs started before it. */
  version: string;
  /** The patch markers these runs took, as TemporalChangeVersion holds them. */
  markers: string[];
  open: number;
  oldestStart: string;
}

/** The visibility query for one workflow's open runs: also what to paste into the UI. */
export const openRunsQuery = (workflowType: string) => `WorkflowType = '${workflowType}' AND ExecutionStatus = 'Running'`;

function markersOf(execution: WorkflowExecutionInfo): string[] {
  const typed = execution.typedSearchAttributes.get(CHANGE_VERSION);
  const values = typed ?? (execution.searchAttributes?.TemporalChangeVersion as unknown[] | undefined) ?? [];
  // Our SDK writes the bare patch id; Go's and Java's GetVersion write "<change id>-<version>".
  return [...new Set(values.map(String))].sort();
}

export async function openRunsByVersion(client: Client): Promise<OpenRunsOfVersion[]> {
  const groups = new Map<string, OpenRunsOfVersion>();
  for (const workflow of [inboundEmail, incidentThread]) {
    const current = WORKFLOW_VERSIONS[workflow.name as keyof typeof WORKFLOW_VERSIONS];
    for await (const execution of client.workflow.list({ query: openRunsQuery(workflow.name) })) {
      const markers = markersOf(execution);
      const version = markers.some((m) => m === current || m.startsWith(`${current}-`)) ? current : '1';
      const key = `${workflow.name}\u0000${version}\u0000${markers.join(',')}`;
      const started = execution.startTime.toISOString();
      const group = groups.get(key) ?? { workflowType: workflow.name, version, markers, open: 0, oldestStart: started };
      group.open++;
      if (started < group.oldestStart) group.oldestStart = started;
      groups.set(key, group);
    }
  }
  return [...groups.values()].sort((a, b) => a.workflowType.localeCompare(b.workflowType) || b.version.localeCompare(a.version) || a.oldestStart.localeCompare(b.oldestStart));
}
