/**
 * One Notion sync: the backtest reports and the closed journal trades of an ITA database into the databases the
 * configuration names. Shared by `ita notion export` and the scheduled reports (which sync after each report), so
 * both write the same pages; idempotent, so running it after every report never duplicates anything.
 */
import type { Kysely } from 'kysely';
import { ConfigError } from '../../engine/errors.ts';
import { createNotionExporter, type ExportResult } from './export.ts';
import { backtestRows, tradeRows } from './rows.ts';

export interface NotionConfig {
  token?: string;
  backtestsDatabase?: string;
  journalDatabase?: string;
  apiUrl?: string;
}

export interface SyncResult {
  backtests?: ExportResult;
  journal?: ExportResult;
}

/** True when a token and at least one database are configured. */
export function notionConfigured(notion: NotionConfig): boolean {
  return Boolean(notion.token && (notion.backtestsDatabase || notion.journalDatabase));
}

export interface NotionSyncPlan {
  token: string;
  apiUrl?: string;
  backtestsDatabase?: string;
  journalDatabase?: string;
}

/** What a sync will write where; refuses (before anything is opened) when the configuration cannot do it. */
export function planNotionSync(notion: NotionConfig, only?: 'backtests' | 'journal'): NotionSyncPlan {
  if (!notion.token) throw new ConfigError('NOTION_TOKEN is not set: create an internal integration in Notion and export its token', { field: 'notion.token' });
  const backtestsDatabase = only !== 'journal' ? notion.backtestsDatabase : undefined;
  const journalDatabase = only !== 'backtests' ? notion.journalDatabase : undefined;
  if (!backtestsDatabase && !journalDatabase) throw new ConfigError('no Notion database named: set ITA_NOTION_BACKTESTS_DB and/or ITA_NOTION_JOURNAL_DB', { field: 'notion' });
  return { token: notion.token, apiUrl: notion.apiUrl, backtestsDatabase, journalDatabase };
}

export async function syncToNotion(db: Kysely<any>, plan: NotionSyncPlan): Promise<SyncResult> {
  const exporter = createNotionExporter({ token: plan.token, baseUrl: plan.apiUrl });
  const result: SyncResult = {};
  if (plan.backtestsDatabase) result.backtests = await exporter.exportBacktests(plan.backtestsDatabase, await backtestRows(db));
  if (plan.journalDatabase) result.journal = await exporter.exportTrades(plan.journalDatabase, await tradeRows(db));
  return result;
}
