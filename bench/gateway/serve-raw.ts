/**
 * Reference point for the benchmark: the same model behind a bare node:http server (JSON in,
 * predictRow, JSON out; no routing, validation or metrics), to show what fastify and the gateway add.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { predictRow, type Row } from '../../src/domain/model/bundle';
import { BENCH_BUNDLES } from './bench-model';
import { installProbe } from '../shared/child-probe';

installProbe();

const bundle = BENCH_BUNDLES['bench-stable'];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const { rows } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { rows: Row[] };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ predictions: rows.map((r) => predictRow(bundle, r)) }));
  });
});
server.listen(0, '127.0.0.1', () => process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
process.once('disconnect', () => server.close(() => process.exit(0)));
