/**
 * Server-sent events for the console's live pages: every `intervalMs` the page's fragments are
 * rendered again, and only those that changed are sent as one `fragments` event. The stream ends
 * when the browser goes away or the server closes.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export type LiveStreams = {
  open(req: FastifyRequest, reply: FastifyReply, render: () => Promise<Record<string, string>>): void;
  closeAll(): void;
};

export function createLiveStreams(o: { intervalMs: number; onError: (err: unknown) => void }): LiveStreams {
  const open = new Set<() => void>();
  return {
    open(req, reply, render) {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', connection: 'keep-alive' });
      const last = new Map<string, string>();
      let timer: NodeJS.Timeout | undefined;
      let stopped = false;
      const stop = () => {
        if (stopped) return;
        stopped = true;
        clearTimeout(timer);
        open.delete(stop);
        reply.raw.end();
      };
      open.add(stop);
      req.raw.on('close', stop);
      const tick = async () => {
        try {
          const changed = Object.fromEntries(Object.entries(await render()).filter(([id, html]) => last.get(id) !== html));
          for (const [id, html] of Object.entries(changed)) last.set(id, html);
          if (!stopped && Object.keys(changed).length > 0) reply.raw.write(`event: fragments\ndata: ${JSON.stringify(changed)}\n\n`);
        } catch (err) {
          o.onError(err);
        }
        if (!stopped) timer = setTimeout(() => void tick(), o.intervalMs);
      };
      void tick();
    },
    closeAll() {
      for (const stop of [...open]) stop();
    },
  };
}
