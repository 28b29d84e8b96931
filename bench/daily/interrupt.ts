/**
 * What must be undone if the bench is stopped with Ctrl+C or SIGTERM: the services run in process
 * groups of their own and would outlive it, and the schema and queue prefix would stay behind.
 * Each step registers its undo and unregisters it when it has cleaned up normally.
 */
const undos = new Set<() => Promise<unknown>>();

export function onInterrupt(undo: () => Promise<unknown>): () => void {
  undos.add(undo);
  return () => undos.delete(undo);
}

async function interrupted(signal: NodeJS.Signals): Promise<never> {
  console.error(`\n${signal}: stopping the services and removing the bench's schema and queue prefix …`);
  // The measuring code sees its services go and throws; that must not end the process mid-cleanup.
  process.on('uncaughtException', () => {});
  process.on('unhandledRejection', () => {});
  for (const undo of [...undos].reverse()) await undo().catch((error: Error) => console.error(error.message));
  process.exit(130);
}

process.once('SIGINT', interrupted);
process.once('SIGTERM', interrupted);
