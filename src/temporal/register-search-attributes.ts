/**
 * Registers mlgate's search attributes on a server that lacks them (a cluster, or the
 * time-skipping test server). The embedded dev server registers them at start-up instead.
 */
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

export async function registerSearchAttributes(connection: Pick<Connection, 'operatorService'>, namespace: string): Promise<void> {
  const keyword = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
  const searchAttributes = Object.fromEntries(SEARCH_ATTRIBUTES.map((k) => [k.name, keyword]));
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
}
