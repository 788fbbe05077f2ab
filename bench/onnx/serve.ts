/** Child process: a real gateway serving the ONNX model from `dir` (bundle.json, model.onnx) as version `onnx-gb`. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OnnxManifestSchema } from '../../src/domain/model/onnx-manifest';
import { createGateway } from '../../src/gateway';

process.once('message', (msg: { token: string; stateDir: string; dir: string }) => {
  const gateway = createGateway({
    adminToken: msg.token,
    stateDir: msg.stateDir,
    loadBundle: async () => OnnxManifestSchema.parse(JSON.parse(await readFile(join(msg.dir, 'bundle.json'), 'utf8'))),
    loadModelFile: () => readFile(join(msg.dir, 'model.onnx')),
  });
  gateway.start().then((urls) => process.send?.(urls), (e: unknown) => {
    console.error(e);
    process.exit(1);
  });
  process.once('disconnect', () => void gateway.stop().then(() => process.exit(0)));
});
