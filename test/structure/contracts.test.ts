// No workflow, signal or query name as a string in src/ outside src/workflows/contracts.ts; and the
// checker behind it finds each way of writing one.
import type * as ts from 'typescript';
import * as workflows from '../../src/workflows';
import { contractNameFindings, contractNames } from './contract-names';
import { formatFinding } from './layers';
import { programOf, srcProgram } from './source-program';

const names = contractNames(workflows);

test('the contract names are the workflows and their signals and queries', () => {
  expect([...names].sort()).toEqual(['alertKey', 'alertKeyState', 'alertOpening', 'alertReceived', 'alertStorm', 'alertStormState', 'deliveryFeedback', 'discard', 'inboundEmail', 'incidentSla', 'incidentThread', 'reconciliation', 'release', 'sla', 'slaNotice', 'slaReplan', 'status', 'thread', 'threadEvent']);
});

describe('src/', () => {
  let program: ts.Program;
  beforeAll(() => {
    program = srcProgram();
  });

  test('names no workflow, signal or query by a string', () => {
    expect(contractNameFindings(program, names).map(formatFinding)).toEqual([]);
  });
});

describe('the contract-name checker', () => {
  const lines = (text: string) => contractNameFindings(programOf({ 'src/operations/probe.ts': text }), names).map((f) => `${f.line} ${f.rule.split(':')[0]}`);

  test('finds names as strings in client and handle calls, options and visibility queries', () => {
    const text = [
      "import { Client } from '@temporalio/client';",
      'export async function probe(client: Client) {',
      "  await client.workflow.start('inboundEmail', { taskQueue: 'q', workflowId: 'w', args: [] });",
      "  const handle = client.workflow.getHandle('w');",
      "  await handle.query('status');",
      "  await client.workflow.getHandle('w').signal('anotherSignal');",
      "  await client.workflow.signalWithStart('incidentThread', { workflowId: 'w', taskQueue: 'q', signal: 'threadEvent', signalArgs: [] });",
      "  const options = { workflowType: 'someWorkflow' };",
      "  const stuck = \"WorkflowType = 'inboundEmail' AND ExecutionStatus = 'Running'\";",
      "  return [options, stuck, `WorkflowType='${'x'}'`, `ExecutionStatus = 'Running' AND WorkflowType = 'incidentThread'`];",
      '}',
    ].join('\n');
    expect(lines(text)).toEqual([
      "3 a Temporal start() named by the string 'inboundEmail'",
      "5 a Temporal query() named by the string 'status'",
      "6 a Temporal signal() named by the string 'anotherSignal'",
      "7 a Temporal signalWithStart() named by the string 'incidentThread'",
      "7 signal",
      '8 workflowType',
      '9 a visibility query with the workflow type written in it',
      '10 a visibility query with the workflow type written in it',
    ]);
  });

  test('finds a contract name in such a call even where the types do not say Temporal', () => {
    const text = "export const probe = (handle: { query(name: string): unknown }, other: { signal(name: string): unknown }) => [handle.query('status'), other.signal('release'), handle.query('SELECT 1')];\n";
    expect(lines(text)).toEqual(["1 the contract name 'status' as a string in a query() call", "1 the contract name 'release' as a string in a signal() call"]);
  });

  test('finds nothing in typed calls and in a query built from the workflow', () => {
    const text = [
      "import { Client } from '@temporalio/client';",
      "import { inboundEmail, InboundEmailInput, incidentThread, statusQuery, threadEventSignal } from '../workflows';",
      'export async function probe(client: Client, input: InboundEmailInput) {',
      "  await client.workflow.start(inboundEmail, { taskQueue: 'q', workflowId: 'w', args: [input] });",
      "  await client.workflow.getHandle<typeof inboundEmail>('w').query(statusQuery);",
      "  await client.workflow.signalWithStart(incidentThread, { workflowId: 'w', taskQueue: 'q', args: [{ incidentNumber: 'INC0010001' }], signal: threadEventSignal, signalArgs: [{ type: 'close', id: '1' }] });",
      "  return `WorkflowType = '${inboundEmail.name}' AND ExecutionStatus = 'Running'`;",
      '}',
    ].join('\n');
    expect(lines(text)).toEqual([]);
  });
});
