// The code as the compiler sees it: one TypeScript program over src/ (as tsconfig.json compiles it), or
// over a few source texts for the checkers' own tests. The structure checks read syntax and types through
// it, never the files through regular expressions.
import { dirname, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

export const ROOT = resolve(__dirname, '..', '..');

/** A project file as the checks name it: its path from the project root, with forward slashes. */
export const projectPath = (fileName: string): string => relative(ROOT, fileName).split(sep).join('/');

function tsconfig(): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(resolve(ROOT, 'tsconfig.json'), { noEmit: true }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error('tsconfig.json could not be read');
  return parsed;
}

export function srcProgram(): ts.Program {
  const { fileNames, options } = tsconfig();
  // With parent pointers: the checks walk up from a node (to the call an option belongs to).
  return ts.createProgram({ rootNames: fileNames, options, host: ts.createCompilerHost(options, true) });
}

/** Package and library declarations, parsed once for all the programs of one test file. */
const declarations = new Map<string, ts.SourceFile | undefined>();

/** A program of the given texts, keyed by project path (e.g. src/domain/x.ts); packages come from node_modules. */
export function programOf(texts: Record<string, string>): ts.Program {
  const { options } = tsconfig();
  const files = new Map(Object.entries(texts).map(([path, text]) => [resolve(ROOT, path), text]));
  const host = ts.createCompilerHost(options, true);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  host.readFile = (name) => files.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = files.get(name);
    if (text !== undefined) return ts.createSourceFile(name, text, language, true);
    if (!declarations.has(name)) declarations.set(name, getSourceFile.call(host, name, language, ...rest));
    return declarations.get(name);
  };
  return ts.createProgram({ rootNames: [...files.keys()], options, host });
}

/** The files the program was made of (all of src/, or the given texts), not what they import. */
export function sourceFiles(program: ts.Program): ts.SourceFile[] {
  return program.getRootFileNames().map((name) => program.getSourceFile(name)!).filter((f) => !f.isDeclarationFile && projectPath(f.fileName).startsWith('src/'));
}

/** The project file a relative specifier names, if the program has it (x.ts, x/index.ts). */
export function resolveRelative(program: ts.Program, from: ts.SourceFile, specifier: string): string | null {
  const base = resolve(dirname(from.fileName), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.d.ts`, resolve(base, 'index.ts')]) {
    if (program.getSourceFile(candidate)) return projectPath(candidate);
  }
  return null;
}

export function lineOf(node: ts.Node): number {
  const sf = node.getSourceFile();
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

/** Calls each node of the file, depth first. */
export function walk(file: ts.SourceFile, visit: (node: ts.Node) => void): void {
  const go = (node: ts.Node): void => {
    visit(node);
    ts.forEachChild(node, go);
  };
  go(file);
}

/** The text of a string literal, a template without substitutions, or each literal part of a template. */
export function literalTexts(node: ts.Node): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)];
  return [];
}

/** Where the function a call resolves to is declared (a package's .d.ts or a project file), if known. */
export function declaredIn(checker: ts.TypeChecker, call: ts.CallExpression): string | null {
  const declaration = checker.getResolvedSignature(call)?.getDeclaration();
  return declaration ? declaration.getSourceFile().fileName.split(sep).join('/') : null;
}
