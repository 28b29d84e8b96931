#!/usr/bin/env node
// `#main` (package.json "imports") is the TypeScript source in development and the compiled dist/
// in the production image, whose NODE_OPTIONS set the `paperboy-dist` condition. Node 20 cannot
// strip types itself, so tsx is registered only when the source is what runs.
const main = import.meta.resolve('#main');
if (main.endsWith('.ts')) (await import('tsx/esm/api')).register();
await import(main);
