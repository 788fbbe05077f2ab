/**
 * Secrets come from the environment. Only the embedded `mlgate dev` stack may generate missing
 * ones, once per data folder (<dataDir>/secrets.json, mode 0600), so a newcomer needs no setup;
 * every other command stops with a message naming the variable.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from './env';
import { ConfigError } from './env';

export interface Secrets {
  approvalSecret: string;
  adminToken: string;
  piiSalt: string;
}

const FileSchema = z.object({ approvalSecret: z.string().min(32), adminToken: z.string().min(16), piiSalt: z.string().min(16) });
const VARS = { approvalSecret: 'MLGATE_APPROVAL_SECRET', adminToken: 'MLGATE_ADMIN_TOKEN', piiSalt: 'MLGATE_PII_SALT' } as const;

function secretsFile(config: Config): string {
  return path.join(config.dataDir, 'secrets.json');
}

function readLocal(config: Config): Partial<Secrets> {
  const file = secretsFile(config);
  if (!existsSync(file)) return {};
  const parsed = FileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new ConfigError([`${file} is damaged; delete it to let \`mlgate dev\` generate new local secrets`]);
  return parsed.data;
}

/** @param generate only `mlgate dev` passes true */
export function resolveSecrets(config: Config, { generate }: { generate: boolean }): Secrets {
  const fromEnv: Partial<Secrets> = {
    ...(config.MLGATE_APPROVAL_SECRET ? { approvalSecret: config.MLGATE_APPROVAL_SECRET } : {}),
    ...(config.MLGATE_ADMIN_TOKEN ? { adminToken: config.MLGATE_ADMIN_TOKEN } : {}),
    ...(config.MLGATE_PII_SALT ? { piiSalt: config.MLGATE_PII_SALT } : {}),
  };
  const local = readLocal(config);
  const merged = { ...local, ...fromEnv };
  const missing = (Object.keys(VARS) as (keyof Secrets)[]).filter((k) => !merged[k]);
  if (missing.length === 0) return merged as Secrets;
  if (!generate) throw new ConfigError(missing.map((k) => `Missing configuration: ${VARS[k]} must be set (generate one with: openssl rand -hex 32)`));
  const made: Secrets = { approvalSecret: randomBytes(32).toString('hex'), adminToken: randomBytes(24).toString('hex'), piiSalt: randomBytes(24).toString('hex'), ...local };
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(secretsFile(config), JSON.stringify(made, null, 2), { mode: 0o600 });
  return { ...made, ...fromEnv };
}
