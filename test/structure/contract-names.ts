// Workflow, signal and query names written as strings outside src/workflows/contracts.ts. Every caller
// uses the typed definitions (inboundEmail, statusQuery, releaseSignal ...): a name as a string is
// unchecked, and a rename would break it only at run time.
import * as ts from 'typescript';
import type { Finding } from './layers';
import { declaredIn, lineOf, literalTexts, projectPath, sourceFiles, walk } from './source-program';

/** Where the names are defined, the one file that may write them. */
export const CONTRACTS_FILE = 'src/workflows/contracts.ts';

/**
 * The names a workflows module exports: each function is a workflow type (the worker registers every
 * exported function), each signal, query or update definition has its name.
 */
export function contractNames(workflowsModule: Record<string, unknown>): Set<string> {
  const names = new Set<string>();
  for (const value of Object.values(workflowsModule)) {
    if (typeof value === 'function') names.add(value.name);
    const definition = value as { type?: unknown; name?: unknown } | null;
    if (typeof definition === 'object' && definition !== null && ['signal', 'query', 'update'].includes(String(definition.type)) && typeof definition.name === 'string') {
      names.add(definition.name);
    }
  }
  return names;
}

/** Temporal calls whose first argument names a workflow, signal, query or update (client, handle, workflow side). */
const NAMED_BY_FIRST_ARGUMENT = new Set([
  'start',
  'execute',
  'signal',
  'query',
  'signalWithStart',
  'executeUpdate',
  'startUpdate',
  'executeUpdateWithStart',
  'startUpdateWithStart',
  'startChild',
  'executeChild',
  'defineSignal',
  'defineQuery',
  'defineUpdate',
]);

/** Options that name a signal, query, update or workflow type. */
const NAMING_PROPERTIES = new Set(['signal', 'query', 'update', 'workflowType']);

/** A visibility query that names a workflow type in its text (built from `inboundEmail.name`, it does not). */
const WORKFLOW_TYPE_IN_QUERY = /WorkflowType\s*(!?=|IN\s*\()\s*['"][^'"]/i;

const calledName = (call: ts.CallExpression): string | null =>
  ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : ts.isIdentifier(call.expression) ? call.expression.text : null;

const isTemporalCall = (checker: ts.TypeChecker, call: ts.CallExpression) => /\/node_modules\/@temporalio\//.test(declaredIn(checker, call) ?? '');

/** The call an object literal is an argument of, if any. */
function callTaking(object: ts.ObjectLiteralExpression): ts.CallExpression | null {
  const parent = object.parent;
  return parent && ts.isCallExpression(parent) && parent.arguments.includes(object) ? parent : null;
}

export function contractNameFindings(program: ts.Program, names: ReadonlySet<string>): Finding[] {
  const checker = program.getTypeChecker();
  const findings: Finding[] = [];
  for (const file of sourceFiles(program)) {
    const path = projectPath(file.fileName);
    if (path === CONTRACTS_FILE) continue;
    const found = (node: ts.Node, rule: string) => findings.push({ file: path, line: lineOf(node), what: node.getText().replace(/\s+/g, ' ').slice(0, 80), rule });
    walk(file, (node) => {
      if (ts.isCallExpression(node)) {
        const name = calledName(node);
        const first = node.arguments[0];
        if (name && NAMED_BY_FIRST_ARGUMENT.has(name) && first && ts.isStringLiteralLike(first)) {
          if (isTemporalCall(checker, node)) found(node, `a Temporal ${name}() named by the string '${first.text}': use the definition from src/workflows (contracts.ts)`);
          else if (names.has(first.text)) found(node, `the contract name '${first.text}' as a string in a ${name}() call: use the definition from src/workflows`);
        }
      }
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && NAMING_PROPERTIES.has(node.name.text) && ts.isStringLiteralLike(node.initializer)) {
        const value = node.initializer.text;
        const call = callTaking(node.parent as ts.ObjectLiteralExpression);
        if (node.name.text === 'workflowType' || names.has(value) || (call && isTemporalCall(checker, call))) {
          found(node, `${node.name.text}: '${value}' names a workflow, signal or query as a string: use the definition from src/workflows`);
        }
      }
      if (literalTexts(node).some((text) => WORKFLOW_TYPE_IN_QUERY.test(text))) {
        found(node, 'a visibility query with the workflow type written in it: build it from the workflow (`${inboundEmail.name}`)');
      }
    });
  }
  return findings;
}
