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
  const findings = (texts: Record<string, string>) => layerFindings(programOf(texts)).map((f) => ({ file: f.file, line: f.line, what: f.what, rule: f.rule.split(' (')[0] }));

  test('domain importing an activity module, a package with I/O or node:fs', () => {
    expect(
      findings({
        'src/domain/probe-rule.ts': "import type { Probe } from '../activities/probe';\nimport { Pool } from 'pg';\nimport { readFileSync } from 'node:fs';\nexport const rule = (p: Probe, pool?: Pool) => [p, pool, readFileSync];\n",
        'src/activities/probe.ts': 'export interface Probe { id: string }\n',
      }),
    ).toEqual([
      { file: 'src/domain/probe-rule.ts', line: 1, what: "imports '../activities/probe'", rule: 'src/domain/ imports only src/domain/' },
      { file: 'src/domain/probe-rule.ts', line: 2, what: "imports 'pg'", rule: 'src/domain/ does no I/O' },
      { file: 'src/domain/probe-rule.ts', line: 3, what: "imports 'node:fs'", rule: 'src/domain/ does no I/O' },
    ]);
  });

  test('a workflow importing an activity as a value, or db/; `import type` of activities is allowed', () => {
    expect(
      findings({
        'src/workflows/probe-flow.ts': "import { createProbe } from '../activities/probe';\nimport type { Probes } from '../activities/probe';\nimport { countRows } from '../db/probe';\nexport const flow = (p?: Probes) => [createProbe, countRows, p];\n",
        'src/activities/probe.ts': 'export const createProbe = () => ({});\nexport type Probes = ReturnType<typeof createProbe>;\n',
        'src/db/probe.ts': 'export const countRows = () => 0;\n',
      }),
    ).toEqual([
      { file: 'src/workflows/probe-flow.ts', line: 1, what: "imports '../activities/probe'", rule: 'src/workflows/ imports only types from src/activities/' },
      { file: 'src/workflows/probe-flow.ts', line: 3, what: "imports '../db/probe'", rule: 'src/workflows/ imports only src/workflows/, src/domain/ and types of src/activities/' },
    ]);
  });

  test('a library module importing the CLI; the CLI importing the library', () => {
    expect(
      findings({
        'src/operations/probe-op.ts': "import { printProbe } from '../cli/probe-print';\nexport const op = () => printProbe();\n",
        'src/cli/probe-print.ts': "import { helper } from '../operations/probe-helper';\nexport const printProbe = () => helper();\n",
        'src/operations/probe-helper.ts': 'export const helper = () => 1;\n',
      }),
    ).toEqual([{ file: 'src/operations/probe-op.ts', line: 1, what: "imports '../cli/probe-print'", rule: 'only the command line' }]);
  });

  test('an import cycle, also through type-only imports; not through a workflow\'s `import type` of the activities', () => {
    expect(
      findings({
        'src/bridge/probe-a.ts': "import type { B } from './probe-b';\nexport interface A { b?: B }\n",
        'src/bridge/probe-b.ts': "import type { A } from './probe-a';\nexport interface B { a?: A }\n",
        'src/workflows/probe-flow.ts': "import type { Acts } from '../activities/probe-acts';\nexport async function probeFlow(a?: Acts) { return a; }\n",
        'src/activities/probe-acts.ts': "import { probeFlow } from '../workflows/probe-flow';\nexport const acts = { start: () => probeFlow.name };\nexport type Acts = typeof acts;\n",
      }),
    ).toEqual([{ file: 'src/bridge/probe-b.ts', line: 1, what: "imports './probe-a'", rule: 'import cycle: src/bridge/probe-a.ts -> src/bridge/probe-b.ts -> src/bridge/probe-a.ts' }]);
  });

  test('SQL text and pg queries outside db/, not inside it nor in prose', () => {
    const pgQuery = (query: string) => `import { Pool } from 'pg';\nexport const run = (pool: Pool, sql: string) => ${query};\n`;
    expect(
      findings({
        'src/web/probe-page.ts': pgQuery("pool.query('SELECT id FROM incidents WHERE number = $1', ['INC0010001'])"),
        'src/operations/probe-op.ts': pgQuery('pool.query(sql)'),
        'src/bench/probe-text.ts': "export const sql = `UPDATE incidents SET state = ${'closed'}`;\nexport const prose = 'select a rule from the list, then delete it where it stands';\n",
        'src/db/probe-table.ts': pgQuery("pool.query('DELETE FROM incidents WHERE id = $1', [1])"),
      }),
    ).toEqual([
      { file: 'src/web/probe-page.ts', line: 2, what: "pool.query() (pg)", rule: 'SQL lives in src/db/ only' },
      { file: 'src/web/probe-page.ts', line: 2, what: 'SQL "SELECT id FROM incidents WHERE number = $1"', rule: 'SQL lives in src/db/ only' },
      { file: 'src/operations/probe-op.ts', line: 2, what: 'pool.query() (pg)', rule: 'SQL lives in src/db/ only' },
      { file: 'src/bench/probe-text.ts', line: 1, what: 'SQL "UPDATE incidents SET state = ?"', rule: 'SQL lives in src/db/ only' },
    ]);
  });
});
