export { createGateway, type Gateway, type GatewayOptions } from './create-gateway';
export type { ModelRuntime } from './model-runtime';
export { FaultSchema, type Fault } from './faults';
export { PredictBodySchema, MAX_ROWS_PER_REQUEST } from './predict-route';
export { RoutingPutBodySchema } from './admin-routes';
