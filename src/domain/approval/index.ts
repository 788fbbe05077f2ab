/** Approval gates: policy, gate state machine, decisions, views and email rendering. Pure, sandbox-safe. */
export * from './policy';
export * from './decision';
export * from './gate-state';
export * from './validate-decision';
export * from './views';
export * from './email';
export * from './evidence-html';
export * from './chart-svg';
export * from './html';
