// src/ keeps its layers (README, Layout); and the checker behind it finds what it is meant to find.
import { allImports, formatFinding, importCycles, importFindings, layerFindings, sqlFindings } from './layers';
import { programOf, srcProgram } from './source-program';
import type * as ts from 'typescript';

describe('src/', () => {
  let program: ts.Program;
  beforeAll(() => {
    program = srcProgram();
  });

  test('every import keeps to its layer', () => {
    expect(importFindings(allImports(program)).map(formatFinding)).toEqual([]);
  });

  test('no import cycle', () => {
    expect(importCycles(allImports(program)).map(formatFinding)).toEqual([]);
  });

  test('SQL only in src/db/', () => {
    expect(sqlFindings(program).map(formatFinding)).toEqual([]);
  });
});

describe('the layer checker', () => {
  const pgQuery = (query: string) => `import { Pool } from 'pg';\nexport const run = (pool: Pool, sql: string) => ${query};\n`;

  // Each case: source texts by project path, and what the checker reports (file:line import: rule, up to its first parenthesis).
  test.each<[string, Record<string, string>, string[]]>([
    [
      'domain importing an activity module, a package with I/O or node:fs',
      {
        'src/domain/probe-rule.ts': "import type { Probe } from '../activities/probe';\nimport { Pool } from 'pg';\nimport { readFileSync } from 'node:fs';\nexport const rule = (p: Probe, pool?: Pool) => [p, pool, readFileSync];\n",
        'src/activities/probe.ts': 'export interface Probe { id: string }\n',
      },
      [
        "src/domain/probe-rule.ts:1 imports '../activities/probe': src/domain/ imports only src/domain/",
        "src/domain/probe-rule.ts:2 imports 'pg': src/domain/ does no I/O",
        "src/domain/probe-rule.ts:3 imports 'node:fs': src/domain/ does no I/O",
      ],
    ],
    [
      'a workflow importing an activity as a value, or db/; `import type` of activities is allowed',
      {
        'src/workflows/probe-flow.ts': "import { createProbe } from '../activities/probe';\nimport type { Probes } from '../activities/probe';\nimport { countRows } from '../db/probe';\nexport const flow = (p?: Probes) => [createProbe, countRows, p];\n",
        'src/activities/probe.ts': 'export const createProbe = () => ({});\nexport type Probes = ReturnType<typeof createProbe>;\n',
        'src/db/probe.ts': 'export const countRows = () => 0;\n',
      },
      [
        "src/workflows/probe-flow.ts:1 imports '../activities/probe': src/workflows/ imports only types from src/activities/",
        "src/workflows/probe-flow.ts:3 imports '../db/probe': src/workflows/ imports only src/workflows/, src/domain/ and types of src/activities/",
      ],
    ],
    [
      'a library module importing the CLI; the CLI importing the library',
      {
        'src/operations/probe-op.ts': "import { printProbe } from '../cli/probe-print';\nexport const op = () => printProbe();\n",
        'src/cli/probe-print.ts': "import { helper } from '../operations/probe-helper';\nexport const printProbe = () => helper();\n",
        'src/operations/probe-helper.ts': 'export const helper = () => 1;\n',
      },
      ["src/operations/probe-op.ts:1 imports '../cli/probe-print': only the command line"],
    ],
    [
      'src/ importing the CDK app or the CDK packages; the CDK app importing src/',
      {
        // require(), which the compiler does not resolve: aws-cdk-lib's declarations take seconds to load.
        'src/aws/probe-infra.ts': "const cdk = require('aws-cdk-lib');\nconst constructs = require('constructs');\nimport { probeStack } from '../../infra/probe-stack';\nexport const probe = () => [cdk, constructs, probeStack];\n",
        'infra/probe-stack.ts': "import { PROBE } from '../src/aws/probe-parts';\nexport const probeStack = () => PROBE;\n",
        'src/aws/probe-parts.ts': 'export const PROBE = 1;\n',
      },
      [
        "src/aws/probe-infra.ts:1 imports 'aws-cdk-lib': src/ never imports the CDK app",
        "src/aws/probe-infra.ts:2 imports 'constructs': src/ never imports the CDK app",
        "src/aws/probe-infra.ts:3 imports '../../infra/probe-stack': src/ never imports the CDK app",
      ],
    ],
    [
      "an import cycle, also through type-only imports; not through a workflow's `import type` of the activities",
      {
        'src/bridge/probe-a.ts': "import type { B } from './probe-b';\nexport interface A { b?: B }\n",
        'src/bridge/probe-b.ts': "import type { A } from './probe-a';\nexport interface B { a?: A }\n",
        'src/workflows/probe-flow.ts': "import type { Acts } from '../activities/probe-acts';\nexport async function probeFlow(a?: Acts) { return a; }\n",
        'src/activities/probe-acts.ts': "import { probeFlow } from '../workflows/probe-flow';\nexport const acts = { start: () => probeFlow.name };\nexport type Acts = typeof acts;\n",
      },
      ["src/bridge/probe-b.ts:1 imports './probe-a': import cycle: src/bridge/probe-a.ts -> src/bridge/probe-b.ts -> src/bridge/probe-a.ts"],
    ],
    [
      'SQL text and pg queries outside db/, not inside it nor in prose',
      {
        'src/web/probe-page.ts': pgQuery("pool.query('SELECT id FROM incidents WHERE number = $1', ['INC0010001'])"),
        'src/operations/probe-op.ts': pgQuery('pool.query(sql)'),
        'src/bench/probe-text.ts': "export const sql = `UPDATE incidents SET state = ${'closed'}`;\nexport const prose = 'select a rule from the list, then delete it where it stands';\n",
        'src/db/probe-table.ts': pgQuery("pool.query('DELETE FROM incidents WHERE id = $1', [1])"),
      },
      [
        'src/web/probe-page.ts:2 pool.query() (pg): SQL lives in src/db/ only',
        'src/web/probe-page.ts:2 SQL "SELECT id FROM incidents WHERE number = $1": SQL lives in src/db/ only',
        'src/operations/probe-op.ts:2 pool.query() (pg): SQL lives in src/db/ only',
        'src/bench/probe-text.ts:1 SQL "UPDATE incidents SET state = ?": SQL lives in src/db/ only',
      ],
    ],
  ])('%s', (_case, texts, expected) => {
    expect(layerFindings(programOf(texts)).map((f) => formatFinding({ ...f, rule: f.rule.split(' (')[0] }))).toEqual(expected);
  });
});
