/**
 * Routing per model in one gateway's state folder: `<stateDir>/routing.json`, rewritten on every
 * change (temp file + rename, so a crash never leaves half a file) and read back on start, so a
 * restart mid-canary serves exactly the routing it had. One gateway only: for replicas, use the
 * PostgreSQL adapter.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { RoutingSchema, sameRouting, type Routing } from '../../domain/routing';
import { formatIssues } from '../../domain/errors';
import type { RoutingStore } from '../../ports/routing-store';

const RoutingFileSchema = z.object({ models: z.record(z.string(), RoutingSchema) });

async function readRoutingFile(file: string): Promise<Record<string, Routing>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw e;
  }
  const parsed = RoutingFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not a valid routing file:\n${formatIssues(parsed.error.issues).join('\n')}\nFix or delete it.`);
  return parsed.data.models;
}

export async function openFileRoutingStore({ stateDir }: { stateDir: string }): Promise<RoutingStore> {
  await mkdir(stateDir, { recursive: true });
  const file = join(stateDir, 'routing.json');
  const models = new Map(Object.entries(await readRoutingFile(file)));
  // Writes are serialized so the file on disk always matches the order of changes in memory.
  let writing: Promise<void> = Promise.resolve();
  let seq = 0;
  const persist = () => {
    const snapshot = JSON.stringify({ models: Object.fromEntries(models) }, null, 2);
    const tmp = `${file}.${process.pid}.${++seq}.tmp`;
    writing = writing.then(async () => {
      await writeFile(tmp, snapshot);
      await rename(tmp, file);
    });
    return writing;
  };
  return {
    get: (model) => models.get(model) ?? null,
    all: () => [...models.values()],
    entries: () => [...models.entries()],
    async set(model, input, expectedGeneration) {
      const current = models.get(model) ?? null;
      // Idempotency first: a retried write whose first attempt succeeded must not report a conflict.
      if (current && sameRouting(current, input)) return { status: 'ok', routing: current, changed: false };
      if (expectedGeneration !== undefined && (current?.generation ?? 0) !== expectedGeneration) return { status: 'conflict', current };
      const routing: Routing = { ...input, generation: (current?.generation ?? 0) + 1 };
      models.set(model, routing);
      await persist();
      return { status: 'ok', routing, changed: true };
    },
    onRemoteChange: () => undefined, // nobody else writes this file
    close: () => writing,
  };
}
