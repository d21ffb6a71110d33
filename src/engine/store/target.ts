/**
 * Where the database is, as plain strings: which target a configuration opens and how to print it. Kept apart from
 * dialect.ts so the command line can name a database without loading Kysely (hundreds of modules at start-up).
 */

/** A `postgres://` or `postgresql://` URL; anything else is a SQLite file path (or `:memory:`). */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** What openDatabase opens for a configuration: the PostgreSQL URL when one is configured, else the SQLite file. */
export function databaseTarget(config: { databaseUrl?: string; dbFile: string }): string {
  return config.databaseUrl ?? config.dbFile;
}

/** A database URL with its password replaced, for logs and error messages. */
export function redactUrl(target: string): string {
  if (!isPostgresUrl(target)) return target;
  try {
    const url = new URL(target);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
