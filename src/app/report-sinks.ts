/**
 * Where scheduled reports go: the chat always, and Notion too when a token and a database are configured (the
 * backtests and journal databases are synced after each report, idempotently). A Notion failure is logged and never
 * costs the trader the chat report.
 */
import type { Kysely } from 'kysely';
import type { PeriodicReport } from '../bot/execution/index.ts';
import { notionConfigured, planNotionSync, syncToNotion, type NotionConfig } from '../integrations/notion/sync.ts';
import { describeError } from '../engine/errors.ts';
import type { Logger } from '../logger.ts';

export function reportSinks(
  chat: (report: PeriodicReport) => Promise<void>,
  options: { db: Kysely<any>; notion: NotionConfig; logger: Logger },
): (report: PeriodicReport) => Promise<void> {
  if (!notionConfigured(options.notion)) return chat;
  const plan = planNotionSync(options.notion);
  return async (report) => {
    let failure: unknown;
    await chat(report).catch((error: unknown) => (failure = error));
    try {
      const r = await syncToNotion(options.db, plan);
      options.logger.info('report synced to Notion', { period: report.period, backtests: r.backtests, journal: r.journal });
    } catch (error) {
      options.logger.warn('Notion sync after the report failed', { period: report.period, error: describeError(error) });
    }
    if (failure) throw failure;
  };
}
