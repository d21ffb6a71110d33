/**
 * Exports ITA's backtest runs and journal trades into Notion databases the trader names, through the official
 * client (@notionhq/client, Notion API 2025-09-03: a database holds data sources, pages live in a data source).
 * Idempotent: every page carries ITA's key in the "ITA id" column, so a rerun updates the page it made before and
 * never adds a second one. Missing columns are added; a column of the wrong type is refused with a clear message.
 */
import { APIErrorCode, Client, isNotionClientError, type CreatePageParameters, type QueryDataSourceParameters, type UpdateDataSourceParameters, type UpdatePageParameters } from '@notionhq/client';
import { ConfigError, ItaError, TemporaryError } from '../../engine/errors.ts';
import { maskSecrets } from '../../secrets.ts';
import { BACKTEST_COLUMNS, KEY_COLUMN, TRADE_COLUMNS, backtestProperties, tradeProperties, type Columns } from './properties.ts';
import type { BacktestRow, TradeRow } from './rows.ts';

export interface NotionOptions {
  token: string;
  /** Another API root (a proxy, or the local fake in tests). */
  baseUrl?: string;
  timeoutMs?: number;
  maxRetries?: number;
}

export interface ExportResult {
  created: number;
  updated: number;
}

type Properties = Record<string, Record<string, unknown>>;

export function createNotionExporter(options: NotionOptions) {
  const client = new Client({
    auth: options.token,
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs ?? 30_000,
    // The client waits out 429 rate limits (Retry-After) and 5xx answers itself.
    retry: { maxRetries: options.maxRetries ?? 3 },
    logLevel: undefined,
  });
  const call = <T>(what: string, work: () => Promise<T>): Promise<T> => work().catch((error: unknown) => { throw mapNotionError(what, error, options.token); });

  /** The data source behind a database id (the id in the database's URL), or the id itself if it is a data source. */
  async function dataSourceOf(databaseId: string): Promise<string> {
    try {
      const database = (await client.databases.retrieve({ database_id: databaseId })) as { data_sources?: { id: string }[] };
      const first = database.data_sources?.[0]?.id;
      if (!first) throw new ConfigError(`Notion database ${databaseId} has no data source to write into`);
      return first;
    } catch (error) {
      if (isNotionClientError(error) && error.code === APIErrorCode.ObjectNotFound) {
        await call(`open data source ${databaseId}`, () => client.dataSources.retrieve({ data_source_id: databaseId }));
        return databaseId;
      }
      throw mapNotionError(`open database ${databaseId}`, error, options.token);
    }
  }

  /** Adds the columns ITA needs; returns the name of the title column (a database has exactly one). */
  async function ensureColumns(dataSourceId: string, columns: Columns): Promise<string> {
    const source = (await call('read the columns', () => client.dataSources.retrieve({ data_source_id: dataSourceId }))) as { properties?: Record<string, { type: string }> };
    const existing = source.properties ?? {};
    const titleName = Object.entries(existing).find(([, p]) => p.type === 'title')?.[0] ?? 'Name';
    const missing: Record<string, Record<string, unknown>> = {};
    for (const [name, type] of Object.entries(columns)) {
      if (type === 'title') continue;
      const have = existing[name];
      if (!have) missing[name] = { [type]: {} };
      else if (have.type !== type) {
        throw new ConfigError(`Notion column "${name}" is of type ${have.type}; ITA writes a ${type} there. Change its type or rename the column.`, { field: name });
      }
    }
    if (Object.keys(missing).length > 0) {
      await call('add columns', () => client.dataSources.update({ data_source_id: dataSourceId, properties: missing } as unknown as UpdateDataSourceParameters));
    }
    return titleName;
  }

  /** Every page of the data source that carries an ITA key, by key. */
  async function pagesByKey(dataSourceId: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    let cursor: string | undefined;
    do {
      const page = (await call('find earlier exports', () =>
        client.dataSources.query({
          data_source_id: dataSourceId,
          filter: { property: KEY_COLUMN, rich_text: { is_not_empty: true } },
          page_size: 100,
          start_cursor: cursor,
        } as unknown as QueryDataSourceParameters))) as { results: { id: string; properties?: Record<string, { rich_text?: { plain_text?: string }[] }> }[]; has_more: boolean; next_cursor: string | null };
      for (const result of page.results) {
        const key = result.properties?.[KEY_COLUMN]?.rich_text?.map((t) => t.plain_text ?? '').join('');
        if (key) out.set(key, result.id);
      }
      cursor = page.has_more && page.next_cursor ? page.next_cursor : undefined;
    } while (cursor);
    return out;
  }

  async function upsert<R extends { key: string }>(databaseId: string, columns: Columns, rows: readonly R[], toProperties: (row: R) => Properties): Promise<ExportResult> {
    const dataSourceId = await dataSourceOf(databaseId);
    const titleName = await ensureColumns(dataSourceId, columns);
    const known = await pagesByKey(dataSourceId);
    const result: ExportResult = { created: 0, updated: 0 };
    for (const row of rows) {
      const properties = toProperties(row);
      if (titleName !== 'Name') {
        properties[titleName] = properties.Name;
        delete properties.Name;
      }
      const pageId = known.get(row.key);
      if (pageId) {
        await call(`update ${row.key}`, () => client.pages.update({ page_id: pageId, properties } as unknown as UpdatePageParameters));
        result.updated++;
      } else {
        const created = await call(`create ${row.key}`, () =>
          client.pages.create({ parent: { type: 'data_source_id', data_source_id: dataSourceId }, properties } as unknown as CreatePageParameters));
        known.set(row.key, created.id);
        result.created++;
      }
    }
    return result;
  }

  return {
    exportBacktests: (databaseId: string, rows: readonly BacktestRow[]) => upsert(databaseId, BACKTEST_COLUMNS, rows, backtestProperties),
    exportTrades: (databaseId: string, rows: readonly TradeRow[]) => upsert(databaseId, TRADE_COLUMNS, rows, tradeProperties),
  };
}

export type NotionExporter = ReturnType<typeof createNotionExporter>;

/** Notion's answers turned into what the trader can act on; the token never appears. */
export function mapNotionError(what: string, error: unknown, token: string): Error {
  if (error instanceof ItaError) return error;
  if (!isNotionClientError(error)) return error instanceof Error ? error : new Error(String(error));
  const text = maskSecrets(error.message, [token]).slice(0, 300);
  switch (error.code) {
    case APIErrorCode.Unauthorized:
      return new ConfigError(`Notion refused the token while trying to ${what} (${text}); check NOTION_TOKEN`, {}, { cause: error });
    case APIErrorCode.ObjectNotFound:
    case APIErrorCode.RestrictedResource:
      return new ConfigError(`Notion could not ${what}: ${text} Share the database with ITA's integration (••• → Connections).`, {}, { cause: error });
    case APIErrorCode.RateLimited:
    case APIErrorCode.InternalServerError:
    case APIErrorCode.ServiceUnavailable:
    case APIErrorCode.ServiceOverload:
    case APIErrorCode.GatewayTimeout:
      return new TemporaryError(`Notion is unavailable (${what}): ${text}; try again later`, {}, { cause: error });
    default:
      return new ItaError(`Notion refused to ${what}: ${text}`, {}, { cause: error });
  }
}
