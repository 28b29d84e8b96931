export { type ComposeBatchResult, composeDigests } from './compose.handler.ts';
export type { WorkerDeps } from './deps.ts';
export { type PlanResult, planDigests } from './plan.handler.ts';
export { RECOVERY_PAGE_SIZE, requeueLostDeliveries } from './recovery.ts';
export { type RunningWorker, startWorker } from './worker.ts';
