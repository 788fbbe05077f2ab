/**
 * Loaded once per workflow thread, before any workflow, and shared by every workflow in the SDK's
 * reusable V8 context (`bundlerOptions.preloadModules`, src/workers/bundle-options.ts). Without it
 * each new workflow (every release, its rollout child, every replay after an eviction) evaluated
 * zod's ~90 modules again before its first line ran (bench/overhead/workflow-task-cost.ts).
 *
 * Only zod is shared: it is pure and its per-parse state lives on the stack. mlgate's schema
 * modules are not: the SDK deep-freezes what it shares, and a frozen zod schema throws on its first
 * parse (zod binds methods lazily), so every workflow still builds its own schemas.
 *
 * jitless: zod compiles a parser (`new Function`) for each object schema on its first parse, and
 * every workflow has its own schemas, parsed about once (the release's input, the defaults
 * src/domain/spec.ts and monitor-spec.ts parse when they load): compiling cost far more than it
 * saved. Same results, parsed without the compiled fast path.
 *
 * zod installs two defaults (English messages, the cycle memoizer) on the first schema it builds;
 * building one here installs them before the SDK freezes zod's config. Must stay free of
 * @temporalio/workflow: no workflow exists yet when this runs.
 */
import { z } from 'zod';

z.config({ jitless: true });
z.object({ installsZodDefaults: z.string() });
