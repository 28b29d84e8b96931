export { startBounces } from './bounces.ts';
export { type ParsedReport, parseReport } from './report-parser.ts';
export { type BounceListener, startBounceListener } from './smtp-listener.ts';
