/** Environment for a child process that runs the compiled build (test/support/compile.global.ts builds it once per run). */
export const COMPILED_BUILD_ENV = { NODE_OPTIONS: '--conditions=paperboy-dist' } as const;
