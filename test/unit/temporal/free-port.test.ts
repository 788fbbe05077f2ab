import { readFileSync } from 'node:fs';
import net from 'node:net';
import { freePort } from '../../../src/temporal/free-port';

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => resolve(srv));
  });
}

describe('freePort (ports handed to child processes)', () => {
  it('hands out distinct ports below the kernel ephemeral range, each of which (and its port + 1000) can then be bound', async () => {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    const ports = [];
    for (let i = 0; i < 20; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
    for (const p of ports) {
      expect(p).toBeGreaterThanOrEqual(10_000);
      expect(p + 1000).toBeLessThan(low);
    }
    const servers = await Promise.all(ports.slice(0, 5).flatMap((p) => [listen(p), listen(p + 1000)]));
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });
});
