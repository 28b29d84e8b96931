import { fileURLToPath } from 'node:url';
import type { SignupFigures, SignupOutcome } from './figures.ts';

type BenchSignup = (options: { connections: number; seconds: number }) => Promise<SignupFigures>;

const SIGNUP_MODULE = new URL('../signup.bench.ts', import.meta.url);

/**
 * bench/signup.bench.ts comes from another change (it starts its own api and database). Imported
 * by a computed specifier, so this branch type-checks and runs without it and picks it up as soon
 * as it lands.
 */
export async function runSignup(options: { connections: number; seconds: number }): Promise<SignupOutcome> {
  let module: { benchSignup?: unknown };
  try {
    module = (await import(SIGNUP_MODULE.href)) as { benchSignup?: unknown };
  } catch (error) {
    // Only the file itself missing; a module it imports being missing is a real error.
    const { code, message } = error as { code?: string; message?: string };
    if (
      code === 'ERR_MODULE_NOT_FOUND' &&
      message?.startsWith(`Cannot find module '${fileURLToPath(SIGNUP_MODULE)}'`)
    )
      return { status: 'not measured', reason: 'bench/signup.bench.ts missing' };
    throw error;
  }
  if (typeof module.benchSignup !== 'function')
    return { status: 'not measured', reason: 'bench/signup.bench.ts exports no benchSignup' };
  const figures = await (module.benchSignup as BenchSignup)(options);
  return { status: 'measured', connections: options.connections, figures };
}
