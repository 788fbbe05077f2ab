import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { ModelSpecSchema } from '../../../src/domain/spec';
import { pipelineHarness, tempDir } from './fixtures';

const h = pipelineHarness('bad');
const files = tempDir('bad-files');
afterAll(() => { h.close(); files.cleanup(); });

function specFor(file: string, content: string | Buffer) {
  writeFileSync(path.join(files.dir, file), content);
  return ModelSpecSchema.parse({ id: 'toy', owner: 'o@example.com', riskClass: 'low', data: { source: { kind: 'file', path: file }, label: 'label', features: ['x', 'y'] } });
}

/** Runs the snapshot and returns its failure; fails the test if it succeeded. */
async function failureOf(file: string, content: string | Buffer): Promise<ApplicationFailure> {
  const err = await h.activities.snapshotDataset({ spec: specFor(file, content), specDir: files.dir }).then(
    () => { throw new Error('snapshotDataset succeeded on bad data'); },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  const failure = err as ApplicationFailure;
  expect(failure.type).toBe('DataError');
  expect(failure.nonRetryable).toBe(true);
  return failure;
}

describe('bad data files', () => {
  afterEach(() => {
    // Changes nothing: a rejected source never leaves a snapshot or a temp folder behind.
    const dir = path.join(h.dataDir, 'snapshots');
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });

  it('rejects an empty file with a DataError naming the file', async () => {
    expect((await failureOf('empty.csv', '')).message).toMatch(/^empty.csv: the file is empty/);
  });

  it('rejects a header-only CSV because it has no data rows', async () => {
    expect((await failureOf('header.csv', 'x,y,label\n')).message).toMatch(/header.csv: no data rows/);
  });

  it('rejects a file without the label column and lists the columns it found', async () => {
    expect((await failureOf('cols.csv', 'x,y,target\n1,2,0\n')).message).toBe('cols.csv: missing column(s) "label" (found: x, y, target); fix data.label/data.features in the spec or the file\'s header');
  });

  it('rejects non-numeric feature values naming the line and the column', async () => {
    const f = await failureOf('nan.csv', 'x,y,label\n1,2,0\n3,"four",1\n5,,0\n');
    expect(f.message).toBe('nan.csv:3: column "y": expected a number, got "four"\nnan.csv:4: column "y": expected a number, got ""');
  });

  it('rejects a file that is not valid UTF-8 naming the line of the first bad byte', async () => {
    const latin1 = Buffer.concat([Buffer.from('x,y,label\n1,2,0\n'), Buffer.from([0x63, 0x61, 0x66, 0xe9]), Buffer.from(',2,1\n')]);
    expect((await failureOf('latin1.csv', latin1)).message).toMatch(/^latin1.csv:3: the file is not valid UTF-8/);
  });

  it('rejects a CSV row with the wrong number of fields naming the line', async () => {
    expect((await failureOf('ragged.csv', 'x,y,label\n1,2,0\n1,2\n')).message).toMatch(/^ragged.csv:3: malformed CSV/);
  });

  it('rejects a JSON Lines file with a broken line naming the line', async () => {
    expect((await failureOf('rows.jsonl', '{"x":1,"y":2,"label":0}\n{"x":1,\n')).message).toMatch(/^rows.jsonl:2: not valid JSON/);
  });

  it('rejects a JSON Lines row with a string where a number belongs', async () => {
    expect((await failureOf('types.jsonl', '{"x":1,"y":2,"label":0}\n{"x":"a","y":2,"label":1}\n')).message).toBe('types.jsonl:2: column "x": expected a number, got "a"');
  });

  it('rejects a missing file and says paths are relative to the spec', async () => {
    const spec = ModelSpecSchema.parse({ id: 'toy', owner: 'o@example.com', riskClass: 'low', data: { source: { kind: 'file', path: 'nope.csv' }, label: 'label', features: ['x'] } });
    await expect(h.activities.snapshotDataset({ spec, specDir: files.dir })).rejects.toThrow(/file "nope.csv" not found .*relative to the spec file/);
  });

  it('rejects a PII rule for a column the data does not have', async () => {
    writeFileSync(path.join(files.dir, 'ok.csv'), 'x,y,label\n1,2,0\n2,3,1\n3,4,0\n4,5,1\n5,6,0\n');
    const spec = ModelSpecSchema.parse({ id: 'toy', owner: 'o@example.com', riskClass: 'low', data: { source: { kind: 'file', path: 'ok.csv' }, label: 'label', features: ['x'], pii: [{ column: 'email', action: 'hash' }] } });
    await expect(h.activities.snapshotDataset({ spec, specDir: files.dir })).rejects.toThrow(/data.pii.0: column "email" is not in the data/);
  });
});
