export * from './analyze-rollout';
export * from './verdict';
export * from './metrics-error';
export * from './window-summary';
export * from './alpha-budget';
