const CHECK_EVERY_MS = 500;

/**
 * Calls onOrphaned once when this process's parent exits (the OS re-parents it, so ppid changes).
 * npm runs scripts through `sh -c`, and a SIGTERM to npm reaches only that shell, which dies and
 * leaves its child running; watching the parent is what makes `kill <npm pid>` stop paperboy.
 */
export function watchParent(onOrphaned: () => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onOrphaned();
  }, CHECK_EVERY_MS);
  // Never the reason a process stays alive.
  timer.unref();
}
