import { readFileSync } from 'node:fs';
import { configVariables } from '@paperboy/config';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('documents every environment variable paperboy reads', () => {
    const missing = configVariables.filter((variable) => !readme.includes(`\`${variable}\``));
    expect(missing).toEqual([]);
  });

  it('shows the command that runs paperboy and the one that tests it', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
  });
});
