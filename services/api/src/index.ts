export { type App, buildApp } from './app.ts';
export type { ApiDeps } from './deps.ts';
export { startApi } from './server.ts';
