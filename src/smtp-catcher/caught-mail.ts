/** One mail the catcher received, as the tests and the web mailbox see it. */
import { z } from 'zod';

export const CaughtMailSchema = z.object({
  id: z.string(),
  receivedAt: z.string(),
  from: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  text: z.string(),
  html: z.string().nullable(),
  messageId: z.string().nullable(),
});
export type CaughtMail = z.infer<typeof CaughtMailSchema>;
