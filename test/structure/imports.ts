// Every import of a source file: static imports and re-exports, `import x = require()`, `require()`,
// dynamic `import()` and `import('x').T` types, each with where it leads and whether it is types only.
import * as ts from 'typescript';
import { lineOf, projectPath, resolveRelative, walk } from './source-program';

export interface Import {
  /** The importing file (project path). */
  file: string;
  line: number;
  specifier: string;
  /** The imported project file, or null for a package (or a relative path the program does not have). */
  target: string | null;
  /** Erased at compile time: `import type`, `export type`, every named binding `type`, or an import type. */
  typeOnly: boolean;
}

function bindingsTypeOnly(clause: ts.ImportClause | undefined): boolean {
  if (!clause) return false; // import './x': runs the module
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return !clause.name && named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
}

function exportTypeOnly(declaration: ts.ExportDeclaration): boolean {
  if (declaration.isTypeOnly) return true;
  const clause = declaration.exportClause;
  return clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
}

/** The module a node imports and whether only types come through, if it is an import at all. */
function importAt(node: ts.Node): { specifier: ts.Expression; typeOnly: boolean } | null {
  if (ts.isImportDeclaration(node)) return { specifier: node.moduleSpecifier, typeOnly: bindingsTypeOnly(node.importClause) };
  if (ts.isExportDeclaration(node) && node.moduleSpecifier) return { specifier: node.moduleSpecifier, typeOnly: exportTypeOnly(node) };
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
    return { specifier: node.moduleReference.expression, typeOnly: node.isTypeOnly };
  }
  if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) return { specifier: node.argument.literal as ts.Expression, typeOnly: true };
  if (ts.isCallExpression(node) && node.arguments.length === 1) {
    const dynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
    const requireCall = ts.isIdentifier(node.expression) && node.expression.text === 'require';
    if (dynamicImport || requireCall) return { specifier: node.arguments[0], typeOnly: false };
  }
  return null;
}

export function importsOf(program: ts.Program, file: ts.SourceFile): Import[] {
  const imports: Import[] = [];
  walk(file, (node) => {
    const found = importAt(node);
    if (!found || !ts.isStringLiteralLike(found.specifier)) return;
    const specifier = found.specifier.text;
    imports.push({
      file: projectPath(file.fileName),
      line: lineOf(node),
      specifier,
      target: specifier.startsWith('.') ? resolveRelative(program, file, specifier) : null,
      typeOnly: found.typeOnly,
    });
  });
  return imports;
}
