// Every export here can be started as a workflow; export nothing else (STYLE.md).
export { smokeWorkflow } from './smoke';
export { releaseWorkflow } from './release';
export { rolloutWorkflow } from './rollout';
export { rollbackWorkflow } from './rollback';
export { monitorWorkflow } from './monitor';
