/**
 * A TCP proxy in front of a real server, to cut the network to it and bring it back: `cut()`
 * drops every open connection and stops listening (new connections are refused, as when the server
 * is down), `restore()` listens again on the same port. `freeze()` keeps every connection open but
 * forwards nothing either way (a frozen host, a partition without resets): requests get no answer
 * and no error; `thaw()` lets the held bytes through again.
 */
import net from 'node:net';
import { startPostgres, type LocalPostgres } from '../../src/postgres/local-postgres';

export interface TcpProxy {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const links = new Set<{ client: net.Socket; upstream: net.Socket }>();
  let frozen = false;
  const flow = (l: { client: net.Socket; upstream: net.Socket }) => l.client.pipe(l.upstream).pipe(l.client);
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    track(client);
    track(upstream);
    const link = { client, upstream };
    links.add(link);
    if (!frozen) flow(link);
    client.once('close', () => (links.delete(link), upstream.destroy()));
    upstream.once('close', () => client.destroy());
  });
  const listen = (port: number) => new Promise<void>((r, j) => server.once('error', j).listen(port, '127.0.0.1', () => r()));
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  const cut = async () => {
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  const freeze = () => {
    frozen = true;
    for (const { client, upstream } of links) {
      client.unpipe(upstream).pause();
      upstream.unpipe(client).pause();
    }
  };
  const thaw = () => {
    frozen = false;
    for (const l of links) flow(l);
  };
  return { port, cut, restore: () => listen(port), freeze, thaw, close: () => (server.listening ? cut() : Promise.resolve()) };
}

/** A throwaway PostgreSQL reached through a proxy: `url` goes through it, `postgres.url` does not. */
export async function startPostgresBehindProxy(): Promise<{ postgres: LocalPostgres; proxy: TcpProxy; url: string; stop(): Promise<void> }> {
  const postgres = await startPostgres();
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: postgres.port });
  return {
    postgres, proxy, url: postgres.url.replace(`:${postgres.port}/`, `:${proxy.port}/`),
    async stop() {
      await proxy.close();
      await postgres.stop();
    },
  };
}
