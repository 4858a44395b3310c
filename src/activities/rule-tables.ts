// Rules kept in DynamoDB tables (routing rules, parsing rules): loaded once and refreshed every
// RULE_REFRESH_SECONDS (30), not read on every email. A malformed item is skipped, not fatal: one bad row must not stop all mail.
import { scanRuleTable } from '../aws/rule-tables';
import { ActivityDeps } from './deps';

export async function loadRuleTable<R>(
  { aws }: Pick<ActivityDeps, 'aws'>,
  table: string,
  parse: (item: Record<string, unknown>) => R | { error: string },
): Promise<R[]> {
  const rules: R[] = [];
  for (const item of await scanRuleTable(aws, table)) {
    const rule = parse(item);
    if (!(typeof rule === 'object' && rule !== null && 'error' in rule)) rules.push(rule as R);
  }
  return rules;
}

/** A loader that answers from memory and reloads the table when its copy is older than the refresh time. */
export function cachedRuleTable<R>(deps: Pick<ActivityDeps, 'aws' | 'config'>, table: string, parse: (item: Record<string, unknown>) => R | { error: string }) {
  let cache: { rules: R[]; loadedAt: number } | null = null;
  return async (): Promise<R[]> => {
    if (!cache || Date.now() - cache.loadedAt >= deps.config.ruleRefreshMs) cache = { rules: await loadRuleTable(deps, table, parse), loadedAt: Date.now() };
    return cache.rules;
  };
}
