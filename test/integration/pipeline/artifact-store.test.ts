import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createFsArtifactStore } from '../../../src/adapters/artifact-store/fs';
import type { ModelBundle } from '../../../src/domain/model/bundle';
import type { ArtifactLineage, ArtifactStore } from '../../../src/ports/artifact-store';
import { tempDir } from './fixtures';

const bundle: ModelBundle = {
  format: 'mlgate-linear/v1', task: 'binary-classification', algorithm: 'logistic-regression',
  features: [{ name: 'x', kind: 'numeric', mean: 1, std: 2 }], weights: [0.5], bias: -0.1, labels: { positive: '1', negative: '0' }, threshold: 0.5,
};
const lineage: ArtifactLineage = { model: 'm', snapshotId: 'snap-0000000000000001', trainer: 'builtin', algorithm: 'logistic-regression', params: {}, seed: 7, codeVersion: 'abc' };

/** The artifact store contract; a future S3 adapter runs the same cases. */
function artifactStoreContract(name: string, open: () => { store: ArtifactStore; cleanup: () => void }) {
  describe(`${name} artifact store`, () => {
    const { store, cleanup } = open();
    afterAll(cleanup);

    it('addresses a bundle by the sha256 of its canonical JSON, whatever its key order', async () => {
      const put = await store.put({ bundle, lineage, trainLog: 'log' });
      const reordered = Object.fromEntries(Object.entries(bundle).reverse()) as ModelBundle;
      const again = await store.put({ bundle: reordered, lineage: { ...lineage, codeVersion: 'other' }, trainLog: 'other log' });
      expect(put).toMatchObject({ artifactId: `art-${put.sha256.slice(0, 16)}`, reused: false });
      expect(again).toEqual({ ...put, reused: true });
      expect((await store.manifest(put.artifactId)).lineage.codeVersion).toBe('abc'); // immutable: the first write stays
    });

    it('reads back an equal, validated bundle', async () => {
      const { artifactId } = await store.put({ bundle, lineage, trainLog: '' });
      expect(await store.get(artifactId)).toEqual(bundle);
      expect(await store.has(artifactId)).toBe(true);
    });

    it('fails with NotFound for an unknown artifact and InvalidInput for a malformed id', async () => {
      await expect(store.get('art-ffffffffffffffff')).rejects.toMatchObject({ type: 'NotFound' });
      await expect(store.get('../../etc/passwd')).rejects.toMatchObject({ type: 'InvalidInput' });
      expect(await store.has('art-ffffffffffffffff')).toBe(false);
    });

    it('attaches derived files beside the artifact but refuses to overwrite the bundle', async () => {
      const { artifactId } = await store.put({ bundle, lineage, trainLog: '' });
      const file = await store.attach({ artifactId, name: 'model-card.md', content: '# card' });
      expect(readFileSync(file, 'utf8')).toBe('# card');
      await expect(store.attach({ artifactId, name: 'bundle.json', content: '{}' })).rejects.toMatchObject({ type: 'InvalidInput' });
    });
  });
}

artifactStoreContract('filesystem', () => {
  const tmp = tempDir('artifacts');
  return { store: createFsArtifactStore({ root: tmp.dir }), cleanup: tmp.cleanup };
});

describe('filesystem artifact store on disk', () => {
  it('keeps bundle, manifest and train log in the artifact folder and no temp folders', async () => {
    const tmp = tempDir('artifacts-disk');
    const store = createFsArtifactStore({ root: tmp.dir });
    const { artifactId } = await store.put({ bundle, lineage, trainLog: 'epoch 1' });
    expect(readdirSync(tmp.dir)).toEqual([artifactId]);
    expect(readdirSync(store.location(artifactId)).sort()).toEqual(['bundle.json', 'manifest.json', 'train.log']);
    tmp.cleanup();
  });

  it('rejects a bundle file that was tampered with into an invalid format', async () => {
    const tmp = tempDir('artifacts-tamper');
    const store = createFsArtifactStore({ root: tmp.dir });
    const { artifactId } = await store.put({ bundle, lineage, trainLog: '' });
    writeFileSync(path.join(store.location(artifactId), 'bundle.json'), JSON.stringify({ ...bundle, weights: 'x' }));
    await expect(store.get(artifactId)).rejects.toThrow(/bundle.json is invalid: weights/);
    tmp.cleanup();
  });
});
