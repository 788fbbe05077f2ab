/**
 * Registers mlgate's search attributes on a server that lacks them (a cluster, or the
 * time-skipping test server). The embedded dev server registers them at start-up instead.
 */
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

export const KEYWORD = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

/** Adds `names` (default: all of mlgate's) as Keyword attributes; the server refuses ones that exist. */
export async function registerSearchAttributes(connection: Pick<Connection, 'operatorService'>, namespace: string, names: readonly string[] = SEARCH_ATTRIBUTES.map((k) => k.name)): Promise<void> {
  const searchAttributes = Object.fromEntries(names.map((n) => [n, KEYWORD]));
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
}
