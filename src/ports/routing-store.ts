/**
 * The gateway's routing per model. Reads are synchronous and served from memory (they sit on the
 * predict hot path); writes are compare-and-set on `generation`. The embedded adapter is a JSON file
 * in the gateway's state folder (`adapters/routing-store/file`); with MLGATE_DATABASE_URL it is
 * PostgreSQL (`adapters/routing-store/postgres`), where the generation check happens in the database
 * and every gateway replica hears of a change through LISTEN/NOTIFY, with a periodic re-read behind it.
 */
import type { Routing, RoutingInput } from '../domain/routing';

export type SetResult = { status: 'ok'; routing: Routing; changed: boolean } | { status: 'conflict'; current: Routing | null };

export interface RoutingStore {
  get(model: string): Routing | null;
  /** Every routed model's routing (the gateway warms these versions at start). */
  all(): Routing[];
  /** Every model with its routing. */
  entries(): Array<[model: string, routing: Routing]>;
  /**
   * Sets a model's routing. Idempotent: asking for the routing already in place is `ok`, unchanged,
   * whatever `expectedGeneration` says. Otherwise a given `expectedGeneration` that is not the
   * current one is a `conflict`, and nothing changes.
   */
  set(model: string, input: RoutingInput, expectedGeneration?: number): Promise<SetResult>;
  /** Called with each change another replica made, once this replica has it in memory. */
  onRemoteChange(listener: (model: string, routing: Routing) => void): void;
  close(): Promise<void>;
}
