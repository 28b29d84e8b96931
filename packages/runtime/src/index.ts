export { bootstrap } from './bootstrap.ts';
export { type Clock, clockStartingAt, createClock, systemClock } from './clock.ts';
export { type Endpoint, findUnreachable, postgresEndpoint, redisEndpoint } from './connectivity.ts';
export { createLogger, type Logger } from './logger.ts';
export { SERVICE_HEAP_MB, SERVICE_NODE_FLAGS } from './node-flags.ts';
export { type OpsServer, type Readiness, startOpsServer } from './ops-server.ts';
export { onShutdown } from './shutdown.ts';
