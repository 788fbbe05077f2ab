/** zod parsing of CLI arguments and options: a bad value names the flag and what is allowed. */
import { z } from 'zod';
import { formatIssues } from '../domain/errors';
import { CliError } from './cli-error';

/** Options print as `--flag: problem`; a positional argument (no path) as `<argument>: problem` with `argument` naming it. */
export function parseArgs<T extends z.ZodType>(schema: T, raw: unknown, command: string, argument = 'argument'): z.infer<T> {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const lines = r.error.issues.map((i) => (i.path.length ? `  --${formatIssues([i])[0]}` : `  <${argument}> ${JSON.stringify(raw)}: ${i.message}`));
    throw new CliError(`mlgate ${command}: invalid arguments:\n${lines.join('\n')}\nRun \`mlgate ${command} --help\` for usage.`, 2);
  }
  return r.data;
}

export const ReleaseIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,200}$/, 'expected a release id such as release-credit-risk-3');
export const Email = z.string().min(3, 'give who you are, e.g. --as alice@example.com (or set MLGATE_USER)');
