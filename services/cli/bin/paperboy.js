#!/usr/bin/env node
// The sources are TypeScript run through tsx (Node 20 cannot strip types itself); this shim registers it.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
