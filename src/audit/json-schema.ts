/** The record's JSON Schema, generated from the zod schema; docs/audit-record.schema.json is this output. */
import { z } from 'zod';
import { AuditRecordSchema } from '../domain/audit/audit-record';

export function auditRecordJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(AuditRecordSchema, { target: 'draft-2020-12', unrepresentable: 'any' }),
    $id: 'https://github.com/mlgate/mlgate/docs/audit-record.schema.json',
    title: 'mlgate audit record (schemaVersion 1)',
  };
}

/** Exactly what docs/audit-record.schema.json holds (2-space JSON, trailing newline). */
export function auditRecordJsonSchemaText(): string {
  return `${JSON.stringify(auditRecordJsonSchema(), null, 2)}\n`;
}
