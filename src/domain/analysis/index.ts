export * from './analyze-rollout';
export * from './verdict';
export * from './window-summary';
