/** Monitoring after promotion: settings, debounce, KPI verdict, review rules. Pure and sandbox-safe. */
export * from './monitor-spec';
export * from './debounce';
export * from './kpi-verdict';
export * from './review-rules';
