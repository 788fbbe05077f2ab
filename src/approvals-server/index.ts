export * from './approvals-server';
export * from './approval-token';
export * from './ports';
export * from './store/approvals-store';
export type { RefusedAttemptRecord } from './store/refused-attempts';
