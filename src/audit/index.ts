/** The audit trail: what the CLI's `audit`, `releases` and `history` commands call. */
export { buildAuditRecord, sealAuditRecord, type BuildAuditRecordOptions } from './build-audit-record';
export { verifyAuditRecord, verifyAgainstHistories, verifyAgainstExport, type VerifyAuditRecordOptions, type VerifyResult } from './verify-audit-record';
export { listReleases, renderReleases, InvalidFiltersError, type ListReleasesOptions, type ReleaseSummary } from './releases-list';
export { modelHistory, renderModelHistory, type ModelHistoryOptions } from './model-history';
export { exportHistory, HISTORY_EXPORT_FORMAT, type ExportHistoryOptions, type HistoryExport } from './export-history';
export { auditRecordJsonSchema } from './json-schema';
export { renderAuditMarkdown } from '../domain/audit/render-markdown';
export { AuditRecordSchema, type AuditRecord } from '../domain/audit/audit-record';
export { ReleaseFiltersSchema, type ReleaseFiltersInput } from '../domain/audit/releases-query';
export type { ProductionTimeline, ServingPeriod, ChampionChange } from '../domain/audit/production-timeline';
