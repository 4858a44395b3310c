// Registers the inbound-email search attributes on a Temporal cluster (operator service), idempotently.
// The local dev server gets them as start flags; a real cluster gets them from `email-to-ticket setup`.
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { EMAIL_SEARCH_ATTRIBUTES } from '../domain/search-attributes';

export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set([...Object.keys(existing.customAttributes ?? {}), ...Object.keys(existing.systemAttributes ?? {})]);
  const missing = EMAIL_SEARCH_ATTRIBUTES.map((key) => key.name).filter((name) => !known.has(name));
  if (missing.length > 0) {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((name) => [name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
    });
  }
  return missing;
}
