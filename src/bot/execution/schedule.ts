/**
 * Periodic reports with node-cron v4 (six fields: sec min hour day month weekday) in the trader's time zone.
 * Defaults: daily 21:00, weekly Sunday 21:00, monthly on the 1st at 09:00. A time set to "off" disables that report.
 * Days of the month stop at 28 so that a monthly report never silently skips February.
 */
import { createTask, type ScheduledTask } from 'node-cron';
import { InputFile, type Api } from 'grammy';
import { InputError } from '../../engine/errors.ts';
import type { Executor, Period } from '../../engine/exec/executor/types.ts';
import type { Logger } from '../../logger.ts';
import { escapeHtml } from '../format/html.ts';
import { isValidTimeZone } from '../format/time.ts';
import { localizeEngineText, translate } from '../i18n/index.ts';
import type { Language } from '../services.ts';

export interface ReportTimes {
  /** "HH:MM" */
  daily?: string;
  /** "dow HH:MM", dow = sun..sat (or 0..7, 0 and 7 = Sunday) */
  weekly?: string;
  /** "day HH:MM", day = 1..28 */
  monthly?: string;
}

export const DEFAULT_REPORT_TIMES: Required<ReportTimes> = { daily: '21:00', weekly: 'sun 21:00', monthly: '1 09:00' };

export interface PeriodicReport {
  period: Period;
  text: string;
  equityPng?: Buffer;
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

function clock(text: string, field: string): { hour: number; minute: number } {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  const hour = Number(match?.[1]);
  const minute = Number(match?.[2]);
  if (!match || hour > 23 || minute > 59) throw new InputError(`reports.${field}: "${text}" is not a time; write HH:MM, e.g. 21:00`, { field: `reports.${field}`, value: text });
  return { hour, minute };
}

function weekday(text: string): number {
  const lower = text.toLowerCase();
  const byName = DAYS.findIndex((day, i) => lower === day || lower === DAY_NAMES[i]);
  if (byName >= 0) return byName;
  if (/^[0-7]$/.test(text)) return Number(text) % 7;
  throw new InputError(`reports.weekly: "${text}" is not a weekday; use sun, mon, … sat or 0–7`, { field: 'reports.weekly', value: text });
}

/** Cron expressions per period; a period set to "off" is left out. Throws InputError naming the bad field. */
export function reportCronExpressions(times: ReportTimes = {}): Partial<Record<Period, string>> {
  const all = { ...DEFAULT_REPORT_TIMES, ...times };
  const out: Partial<Record<Period, string>> = {};
  if (all.daily !== 'off') {
    const { hour, minute } = clock(all.daily.trim(), 'daily');
    out.day = `0 ${minute} ${hour} * * *`;
  }
  if (all.weekly !== 'off') {
    const [dow, time = '', ...rest] = all.weekly.trim().split(/\s+/);
    if (rest.length) throw new InputError(`reports.weekly: "${all.weekly}" should be "dow HH:MM", e.g. "sun 21:00"`, { field: 'reports.weekly', value: all.weekly });
    const { hour, minute } = clock(time, 'weekly');
    out.week = `0 ${minute} ${hour} * * ${weekday(dow)}`;
  }
  if (all.monthly !== 'off') {
    const [day, time = '', ...rest] = all.monthly.trim().split(/\s+/);
    if (rest.length || !/^\d{1,2}$/.test(day) || Number(day) < 1 || Number(day) > 28) {
      throw new InputError(`reports.monthly: "${all.monthly}" should be "day HH:MM" with day 1–28, e.g. "1 09:00"`, { field: 'reports.monthly', value: all.monthly });
    }
    const { hour, minute } = clock(time, 'monthly');
    out.month = `0 ${minute} ${hour} ${Number(day)} * *`;
  }
  return out;
}

export interface ReportSchedule {
  (): void;
  /** When each scheduled report fires next (for /status and tests). */
  nextRuns(): Partial<Record<Period, Date | null>>;
  /** Builds and sends one report now, exactly as the schedule would. */
  runNow(period: Period): Promise<void>;
}

export function scheduleReports(options: {
  executor: Executor;
  send: (report: PeriodicReport) => Promise<void>;
  times?: ReportTimes;
  timezone: string;
  logger?: Logger;
}): ReportSchedule {
  const { executor, send, timezone, logger } = options;
  if (!isValidTimeZone(timezone)) throw new InputError(`reports timezone: "${timezone}" is not an IANA time zone, e.g. Europe/Moscow`, { field: 'timezone', value: timezone });
  const expressions = reportCronExpressions(options.times);

  const runNow = async (period: Period) => {
    try {
      const report = await executor.report(period);
      await send({ period, ...report });
    } catch (error) {
      logger?.warn('scheduled report failed', { period, error: error instanceof Error ? error.message : String(error) });
    }
  };

  const tasks = new Map<Period, ScheduledTask>();
  for (const [period, expression] of Object.entries(expressions) as [Period, string][]) {
    const task = createTask(expression, () => runNow(period), { timezone, noOverlap: true, name: `ita-report-${period}` });
    void task.start();
    tasks.set(period, task);
  }

  const stop = (() => {
    for (const task of tasks.values()) void task.destroy();
    tasks.clear();
  }) as ReportSchedule;
  stop.nextRuns = () => Object.fromEntries([...tasks].map(([period, task]) => [period, task.getNextRun()]));
  stop.runNow = runNow;
  return stop;
}

/** A `send` for scheduleReports: the equity chart with the report as caption (or chart + text when long). */
/**
 * `appendix`: more of the report, already HTML in the trader's language (the weekly report's decision edge per setup
 * version, src/bot/format/learning.ts); a failing appendix never stops the report itself.
 */
export function telegramReportSender(
  api: Api,
  recipients: readonly number[],
  language: Language,
  appendix?: (period: Period, language: Language) => Promise<string | undefined>,
): (report: PeriodicReport) => Promise<void> {
  return async ({ period, text, equityPng }) => {
    const title = translate(language, 'exec.report.scheduled', { period: translate(language, `exec.period.${period}`) });
    const extra = appendix ? await appendix(period, language).catch(() => undefined) : undefined;
    const body = `${title}\n${escapeHtml(localizeEngineText(text, language))}${extra ? `\n\n${extra}` : ''}`;
    for (const chatId of recipients) {
      if (equityPng && body.length <= 1024) {
        await api.sendPhoto(chatId, new InputFile(equityPng, `equity-${period}.png`), { caption: body, parse_mode: 'HTML' });
        continue;
      }
      await api.sendMessage(chatId, body, { parse_mode: 'HTML' });
      if (equityPng) await api.sendPhoto(chatId, new InputFile(equityPng, `equity-${period}.png`), { caption: title, parse_mode: 'HTML' });
    }
  };
}
