/**
 * Readies mlgate's zod schemas to be shared, frozen, by every workflow in a workflow thread
 * (src/workflows/shared-modules.ts). The SDK deep-freezes what its reusable V8 context shares, and
 * zod 4 finishes building a schema on first use: methods bind to the instance on first read, derived
 * internals (`propValues`, `optin`, ...) install on first read, and the cycle memoizer swaps its own
 * wrapper out of `_zod.parse` on the first parse. Each of those writes throws on a frozen schema, so
 * this does them all first, freezes the schemas itself the way the SDK would, and then parses each
 * once more: a schema that still writes to itself fails the worker's start with its path named,
 * instead of failing some workflow task later.
 *
 * Regular expressions: zod resets `pattern.lastIndex` before each test, a write a frozen RegExp
 * refuses. Every RegExp a schema holds in a property becomes an accessor that hands out a fresh
 * copy, so the SDK's freeze (which reads the accessor) freezes a copy nobody tests with.
 *
 * Pure and free of @temporalio/workflow: it runs before any workflow exists.
 */

type Obj = Record<PropertyKey, unknown>;
type ZodLike = Obj & { _zod: Obj & { def: unknown }; safeParse(value: unknown): unknown };

const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object';
const isSchema = (v: unknown): v is ZodLike => isObject(v) && isObject(v._zod) && 'def' in v._zod && typeof v.safeParse === 'function';

/** Every object reachable through own properties (getters read, functions not entered, as the SDK's freeze walks), with its first path. */
function reachable(roots: Record<string, unknown>): Map<Obj, string> {
  const seen = new Map<Obj, string>();
  const stack: Array<[unknown, string]> = Object.keys(roots).map((k) => [roots[k], k]);
  while (stack.length > 0) {
    const [value, path] = stack.pop() as [unknown, string];
    if (!isObject(value) || seen.has(value)) continue;
    seen.set(value, path);
    for (const key of Reflect.ownKeys(value)) {
      let child: unknown;
      try {
        child = value[key];
      } catch {
        continue; // an accessor that throws is skipped by the SDK's freeze walk too
      }
      stack.push([child, `${path}.${String(key)}`]);
    }
  }
  return seen;
}

/** Reads every accessor on `o`'s prototype chain, so members that install on first read are installed now. */
function readPrototypeAccessors(o: Obj): void {
  for (let p = Object.getPrototypeOf(o) as Obj | null; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as Obj | null) {
    for (const key of Reflect.ownKeys(p)) {
      if (!Object.getOwnPropertyDescriptor(p, key)?.get) continue;
      try {
        void o[key];
      } catch {
        // a member that cannot be derived for this kind of schema is never read by its parse either
      }
    }
  }
}

/** One parse of a value no mlgate schema accepts whole: runs each schema's first-parse set-up. */
function parseOnce(schema: ZodLike): unknown {
  try {
    schema.safeParse(undefined);
    return undefined;
  } catch (err) {
    return err; // a refinement that throws on `undefined` is the schema's business; a write to a frozen schema is ours
  }
}

/** Replaces each RegExp-valued data property of `o` with an accessor returning a fresh copy. */
function unshareRegExps(o: Obj): void {
  if (o instanceof RegExp) return;
  for (const key of Reflect.ownKeys(o)) {
    const d = Object.getOwnPropertyDescriptor(o, key);
    if (!d || !(d.value instanceof RegExp) || !d.configurable) continue;
    const { source, flags } = d.value;
    Object.defineProperty(o, key, { get: () => new RegExp(source, flags), enumerable: d.enumerable, configurable: false });
  }
}

/** A shared RegExp that matching writes to (global or sticky) would fail once frozen. */
const statefulRegExp = (o: Obj): boolean => o instanceof RegExp && (o.global || o.sticky);

/** V8's messages for a write that a frozen object refuses. */
const frozenWrite = /not extensible|read[- ]only|Cannot (define|add|assign|redefine|delete) property/i;

function freezeAll(objects: Iterable<Obj>): void {
  for (const o of objects) {
    try {
      Object.freeze(o);
    } catch {
      // typed arrays with elements cannot be frozen; the SDK skips them the same way
    }
  }
}

/**
 * Finishes, freezes and checks every zod schema reachable from `modules` (module namespaces by
 * name). Returns how many schemas it froze. Throws, naming the schema's path, if one still writes
 * to itself once frozen.
 */
export function shareSchemas(modules: Record<string, unknown>): number {
  const schemas = [...reachable(modules).keys()].filter(isSchema);
  for (const s of schemas) {
    readPrototypeAccessors(s);
    readPrototypeAccessors(s._zod);
    parseOnce(s);
  }
  // Reading and parsing installed new own members (bound methods, derived internals): walk again;
  // then once more, for what the SDK will reach through the new RegExp accessors.
  for (const o of reachable(modules).keys()) unshareRegExps(o);
  const all = reachable(modules);
  freezeAll(all.keys());
  const broken = [...all.keys()].flatMap((o) => {
    if (statefulRegExp(o)) return [`${all.get(o)}: a global or sticky RegExp, shared frozen; build it inside the function that uses it`];
    const err = isSchema(o) ? parseOnce(o) : undefined;
    return err instanceof TypeError && frozenWrite.test(err.message) ? [`${all.get(o)}: ${err.message}`] : [];
  });
  if (broken.length > 0) throw new Error(`zod schemas that cannot be shared frozen between workflows (src/workflows/share-schemas.ts):\n${broken.join('\n')}`);
  return schemas.length;
}
