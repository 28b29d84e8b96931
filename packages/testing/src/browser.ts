import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium; .ci/run installs it. Tests never download a browser build. */
export const CHROMIUM = '/usr/bin/chromium';

/** Screenshots land here (git-ignored) for a person to look at after a run. */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));

// Without the background-networking flags Chromium keeps dialling out, and this machine's closed
// network refuses each attempt; --no-sandbox because tests run as root.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}
