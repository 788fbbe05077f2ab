/**
 * What docker-compose.yml expects from the CLI. The compose test checks the file against these
 * constants, so keep them in step with the `mlgate` subcommands (src/cli) when one is renamed.
 */

/** The long-running `mlgate` subcommands the compose file starts, one service each. */
export const MLGATE_SERVICE_COMMANDS = ['worker', 'gateway', 'server'] as const;
export type MlgateServiceCommand = (typeof MLGATE_SERVICE_COMMANDS)[number];

/** Compose service name for each subcommand. */
export const MLGATE_COMPOSE_SERVICES: Readonly<Record<MlgateServiceCommand, string>> = {
  worker: 'mlgate-worker',
  gateway: 'mlgate-gateway',
  server: 'mlgate-server',
};
