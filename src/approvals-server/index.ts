export * from './approvals-server';
export * from '../approval-links/approval-token';
export * from '../ports/decisions';
export type { ApprovalsStore } from '../ports/approvals-store';
export type { RefusedAttemptRecord } from '../ports/approvals-store';
