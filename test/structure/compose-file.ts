// docker-compose.yml as Compose reads it: YAML with anchors and merge keys, then ${...} interpolated
// from the variables Compose would take from the shell or .env.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const ROOT = join(__dirname, '..', '..');

export type ComposeService = {
  build?: unknown;
  image?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
  restart?: string;
};
export type ComposeFile = { services: Record<string, ComposeService> } & Record<string, unknown>;

export function readComposeFile(path = join(ROOT, 'docker-compose.yml')): ComposeFile {
  // merge: `<<: *anchor`, which Compose supports (YAML 1.1 merge keys).
  return parse(readFileSync(path, 'utf8'), { merge: true }) as ComposeFile;
}

/** Compose's interpolation: $$, ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}. */
export function interpolate(text: string, variables: Record<string, string>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (match, name?: string, operator?: string, operand?: string) => {
    if (match === '$$') return '$';
    const value = variables[name!];
    const missing = operator?.startsWith(':') ? !value : value === undefined;
    if (!missing) return value!;
    if (operator?.endsWith('?')) throw new Error(`${name}: ${operand}`);
    return operator ? operand! : '';
  });
}

/** A service's environment as its container gets it. */
export function environmentOf(service: ComposeService, variables: Record<string, string>): Record<string, string> {
  const entries: [string, string][] = Array.isArray(service.environment)
    ? service.environment.map((item) => {
        const at = item.indexOf('=');
        return at < 0 ? [item, ''] : [item.slice(0, at), item.slice(at + 1)];
      })
    : Object.entries(service.environment ?? {}).map(([name, value]) => [name, value === null ? '' : String(value)]);
  return Object.fromEntries(entries.map(([name, value]) => [name, interpolate(value, variables)]));
}
