/** Path parameters shared by the console's pages and actions. */
import { z } from 'zod';

export const ReleaseParams = z.object({ id: z.string().min(1).max(200) });
export const ModelParams = z.object({ model: z.string().regex(/^[a-z0-9][a-z0-9-_]{0,62}$/i, 'expected a model id such as credit-risk') });
