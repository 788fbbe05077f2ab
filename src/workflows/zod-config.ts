/**
 * zod's configuration for workflow code, imported first by src/workflows/shared-modules.ts so it
 * holds before any schema is built.
 *
 * jitless: zod compiles a parser (`new Function`) for each object schema on its first parse, and
 * most schemas are parsed about once per workflow (the release's input): compiling cost more than
 * it saved (bench/overhead/workflow-task-cost.ts). zod decides when it builds an object schema, so
 * this must run before the domain modules build theirs. Same results, parsed without the compiled
 * fast path.
 *
 * zod installs two defaults (English messages, the cycle memoizer) on the first schema it builds;
 * building one here installs them before the SDK freezes zod's config.
 */
import { z } from 'zod';

z.config({ jitless: true });
z.object({ installsZodDefaults: z.string() });
