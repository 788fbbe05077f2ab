/**
 * Before anything starts against a Temporal cluster (`mlgate worker`, `server`, `dev` with
 * MLGATE_TEMPORAL_ADDRESS): check that the address is a Temporal frontend and the namespace exists,
 * and register mlgate's search attributes where they are missing. Idempotent. Every failure is one
 * line saying what to run, so nothing half-starts (a missing attribute used to surface later as
 * "column name 'mlgateModel' is not a valid search attribute" and took the process down).
 */
import { Connection, isGrpcServiceError } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { KEYWORD, registerSearchAttributes } from './register-search-attributes';
import type { TemporalConnection } from '../config/env';
import { connectTemporal } from './connection-interceptors';

/** gRPC status codes (grpc.io/docs/guides/status-codes). */
const grpcStatus = { NOT_FOUND: 5, ALREADY_EXISTS: 6, PERMISSION_DENIED: 7, UNAUTHENTICATED: 16 } as const;

/** A cluster that mlgate cannot use as it is; the message says what to run. */
export class TemporalSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemporalSetupError';
  }
}

const createCommand = (address: string, namespace: string, names: readonly string[]) =>
  names.map((n) => `temporal operator search-attribute create --address ${address} --namespace ${namespace} --name ${n} --type Keyword`).join(' && ');

function codeOf(err: unknown): number | undefined {
  return isGrpcServiceError(err) ? err.code : undefined;
}

export interface PreparedTemporal {
  /** Search attributes this call registered (empty when all were there). */
  registered: string[];
}

/** Checks the frontend and namespace and registers missing search attributes; throws TemporalSetupError with one line. */
export async function prepareTemporal(o: { address: string; namespace: string; connectTimeoutMs?: number; connection?: TemporalConnection }): Promise<PreparedTemporal> {
  let connection: Connection;
  try {
    connection = await connectTemporal({ ...o.connection, address: o.address, connectTimeout: o.connectTimeoutMs ?? 10_000 });
    await connection.workflowService.getSystemInfo({});
  } catch (err) {
    throw new TemporalSetupError(`no Temporal frontend answers at ${o.address} (${(err as Error).message.split('\n')[0]}); set MLGATE_TEMPORAL_ADDRESS to the frontend's host:port (gRPC, usually port 7233)${o.connection?.tls ? ', and check the TEMPORAL_TLS_* settings (server CA, client certificate and key, server name)' : ''}`);
  }
  try {
    try {
      await connection.workflowService.describeNamespace({ namespace: o.namespace });
    } catch (err) {
      if (codeOf(err) === grpcStatus.NOT_FOUND) {
        throw new TemporalSetupError(`namespace "${o.namespace}" does not exist on ${o.address}; create it with \`temporal operator namespace create --address ${o.address} ${o.namespace}\`, or set MLGATE_TEMPORAL_NAMESPACE`);
      }
      throw err;
    }
    const existing = await connection.operatorService.listSearchAttributes({ namespace: o.namespace });
    const known = { ...existing.systemAttributes, ...existing.customAttributes };
    const wrongType = SEARCH_ATTRIBUTES.filter((k) => k.name in known && known[k.name] !== KEYWORD).map((k) => k.name);
    if (wrongType.length > 0) {
      throw new TemporalSetupError(`search attribute(s) ${wrongType.join(', ')} exist on namespace "${o.namespace}" with a type other than Keyword; mlgate needs Keyword (remove them with \`temporal operator search-attribute remove\` and start again)`);
    }
    const missing = SEARCH_ATTRIBUTES.map((k) => k.name).filter((n) => !(n in known));
    if (missing.length === 0) return { registered: [] };
    try {
      await registerSearchAttributes(connection, o.namespace, missing);
    } catch (err) {
      // Another mlgate process registering the same attributes at the same moment is fine.
      if (codeOf(err) === grpcStatus.ALREADY_EXISTS) return { registered: [] };
      if (codeOf(err) === grpcStatus.PERMISSION_DENIED || codeOf(err) === grpcStatus.UNAUTHENTICATED) {
        throw new TemporalSetupError(`not allowed to add search attributes on namespace "${o.namespace}" at ${o.address}; ask an operator to run: ${createCommand(o.address, o.namespace, missing)}`);
      }
      throw err;
    }
    return { registered: missing };
  } finally {
    await connection.close();
  }
}
