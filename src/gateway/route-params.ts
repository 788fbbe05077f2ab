/** Path parameters shared by the gateway's routes. */
import { z } from 'zod';

/** Admin routes name a model by its spec id; anything else (a path, a dot) is refused before it reaches a store. */
export const ModelParamsSchema = z.object({ model: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'model ids use lowercase letters, digits and dashes') });
