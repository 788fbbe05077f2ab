import { readFileSync } from 'node:fs';
import net from 'node:net';

/**
 * Ports handed to another process are picked below the kernel's ephemeral range. A port the OS
 * gave out for `listen(0)` lies in that range, and between our check and the child's bind the
 * kernel may hand the same number to any outgoing connection as its source port (CI saw exactly
 * that: EADDRINUSE when `mlgate dev` restarted on the ports it had used a minute before).
 * Below the range only another explicit bind can take it, and the random pick plus the
 * remembered set make that unlikely across parallel test workers.
 */
const LOWEST = 10_000;
const handedOut = new Set<number>();

function ephemeralLow(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return Number.isInteger(low) && low > LOWEST + 2_000 ? low : 32_768;
  } catch {
    return 32_768; // not Linux: the common default for the lower bound
  }
}

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/**
 * A free TCP port on loopback for another process to bind, outside the ephemeral range.
 * The port and the one a Temporal dev server puts its UI on (port + 1000) are both checked.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const top = ephemeralLow() - 1_001; // leaves room for the dev server's UI at port + 1000
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (top - LOWEST));
    if (handedOut.has(port) || handedOut.has(port + 1000) || handedOut.has(port - 1000)) continue;
    if (!(await canBind(port, host)) || !(await canBind(port + 1000, host))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free TCP port found on ${host} between ${LOWEST} and ${top} after 200 tries`);
}
