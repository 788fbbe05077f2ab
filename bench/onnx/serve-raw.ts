/**
 * Reference: the same ONNX model behind a bare node:http server (JSON in, one onnxruntime batch,
 * JSON out; no routing, validation, metrics or log), to show what the gateway adds.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createOnnxRuntime } from '../../src/adapters/model-runtime/onnx';
import type { Row } from '../../src/domain/model/bundle';
import { OnnxManifestSchema } from '../../src/domain/model/onnx-manifest';

process.once('message', (msg: { dir: string }) => {
  const manifest = OnnxManifestSchema.parse(JSON.parse(readFileSync(join(msg.dir, 'bundle.json'), 'utf8')));
  void createOnnxRuntime(manifest, readFileSync(join(msg.dir, 'model.onnx'))).then((runtime) => {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const { rows } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { rows: Row[] };
        void Promise.resolve(runtime.predict(rows)).then((predictions) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ predictions }));
        });
      });
    });
    server.listen(0, '127.0.0.1', () => process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, adminUrl: '' }));
    process.once('disconnect', () => server.close(() => process.exit(0)));
  });
});
