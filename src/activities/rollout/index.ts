export * from './create-rollout-activities';
export * from './watch-rollout';
