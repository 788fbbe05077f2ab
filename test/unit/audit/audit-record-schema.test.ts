import { readFileSync } from 'node:fs';
import path from 'node:path';
import { auditRecordJsonSchema } from '../../../src/audit/json-schema';
import { AuditRecordSchema } from '../../../src/domain/audit/audit-record';

const docs = path.join(__dirname, '../../../docs');

describe('the documented audit record schema', () => {
  it('is committed exactly as generated from AuditRecordSchema (regenerate with the command in docs/audit-record.md)', () => {
    const committed = JSON.parse(readFileSync(path.join(docs, 'audit-record.schema.json'), 'utf8')) as unknown;
    expect(committed).toEqual(auditRecordJsonSchema());
  });

  it('documents every top-level field of the record in docs/audit-record.md', () => {
    const md = readFileSync(path.join(docs, 'audit-record.md'), 'utf8');
    const missing = Object.keys(AuditRecordSchema.shape).filter((k) => !md.includes(`\`${k}\``));
    expect(missing).toEqual([]);
  });

  it('pins schemaVersion to 1 and rejects a record from another version, naming the field', () => {
    const props = (auditRecordJsonSchema().properties as Record<string, { const?: unknown }>);
    expect(props.schemaVersion.const).toBe(1);
    const r = AuditRecordSchema.safeParse({ schemaVersion: 2 });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['schemaVersion', 'releaseId', 'integrity']));
  });
});
