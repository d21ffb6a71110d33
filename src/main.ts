/**
 * Composition root: config → logger → database (+ migrations) → services. The only place that wires them.
 */
import { loadConfig, secretsOf } from './config.ts';
import { createLogger } from './logger.ts';
import { openDatabase } from './engine/store/database.ts';
import { describeError } from './engine/errors.ts';

export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
  const store = await openDatabase(config.dbFile);
  logger.info('database ready', { file: config.dbFile });

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  logger.info('ITA started', { mode: config.mode, dataDir: config.dataDir });
}

const invokedDirectly = process.argv[1] && /main\.ts$/.test(process.argv[1]);
if (invokedDirectly) {
  main().catch((error) => {
    process.stderr.write(`ita: ${describeError(error)}\n`);
    process.exit(1);
  });
}
