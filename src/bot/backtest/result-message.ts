/**
 * A finished backtest in the chat: the summary as one message that fits, then equity.png and trades.csv. Wide
 * tables (a walk-forward run's 60+ windows) go as CSV files instead of text, and the files are sent whatever
 * happens to the summary: a summary Telegram refuses must not cost the trader the results.
 */
import { InputFile, type Api } from 'grammy';
import type { Logger } from '../../logger.ts';
import type { Translate } from '../i18n/index.ts';
import type { BotServices } from '../services.ts';
import { escapeHtml } from '../format/html.ts';
import { extractTables } from '../render/tables.ts';
import { TEXT_LIMIT, telegramLength, truncateHtml } from '../render/telegram-text.ts';

type BacktestResult = Awaited<ReturnType<NonNullable<BotServices['backtest']>['run']>>;

/** Names the CSV of a table after what precedes it: the walk-forward table is windows.csv. */
function tableFileName(lines: readonly string[], at: number, index: number): string {
  const before = lines.slice(Math.max(0, at - 2), at).join(' ');
  if (/walk-forward/i.test(before)) return 'windows.csv';
  return index === 0 ? 'table.csv' : `table-${index + 1}.csv`;
}

export function backtestSummary(title: string, summary: readonly string[], t: Translate): { text: string; files: Array<{ name: string; bytes: Buffer }> } {
  const whole = [title, ...summary.map((line) => `<code>${escapeHtml(line)}</code>`)].join('\n');
  if (telegramLength(whole) <= TEXT_LIMIT) return { text: whole, files: [] };
  const names: string[] = [];
  const { lines, tables } = extractTables(summary, (rows, index) => {
    names[index] = '';
    return `\u0000${index}:${rows}`;
  });
  tables.forEach((table, index) => (names[index] = tableFileName(summary, table.at, index)));
  const text = [title, ...lines.map((line) => {
    const pointer = /^\u0000(\d+):(\d+)$/.exec(line);
    return pointer ? t('tx.backtest.tableFile', { rows: pointer[2], file: names[Number(pointer[1])] }) : `<code>${escapeHtml(line)}</code>`;
  })].join('\n');
  const files = tables.map((table, index) => ({ name: names[index], bytes: table.csv }));
  if (telegramLength(text) <= TEXT_LIMIT) return { text, files };
  // Still too long without its tables: the full text as a file, and as much of it as fits in the message.
  files.push({ name: 'summary.txt', bytes: Buffer.from(summary.join('\n') + '\n', 'utf8') });
  const pointer = `\n${t('tx.backtest.summaryFile', { file: 'summary.txt' })}`;
  return { text: truncateHtml(text, TEXT_LIMIT - telegramLength(pointer)) + pointer, files };
}

export async function sendBacktestResult(api: Api, chatId: number, t: Translate, title: string, result: BacktestResult, logger: Logger): Promise<void> {
  const { text, files } = backtestSummary(title, result.summary, t);
  const failures: unknown[] = [];
  const attempt = async (what: string, send: () => Promise<unknown>) => {
    try {
      await send();
    } catch (error) {
      logger.error(`backtest ${what} not sent`, { chatId, error: error instanceof Error ? error.message : String(error) });
      failures.push(error);
    }
  };
  await attempt('summary', () => api.sendMessage(chatId, text, { parse_mode: 'HTML' }));
  await attempt('equity.png', () => api.sendPhoto(chatId, new InputFile(result.equityPng, 'equity.png')));
  await attempt('trades.csv', () => api.sendDocument(chatId, new InputFile(result.tradesCsv, 'trades.csv')));
  for (const file of files) await attempt(file.name, () => api.sendDocument(chatId, new InputFile(file.bytes, file.name)));
  if (failures.length > 0) throw failures[0];
}
