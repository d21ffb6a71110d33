/**
 * Labelled examples in the chat: a chart screenshot (photo, or an image sent as a file) whose caption is
 * `label SETUP SYMBOL TF YYYY-MM-DD HH:MM SIDE`, or a CSV file of such lines, is stored (labels in SQLite, the
 * screenshot under the data directory); `/labels [SETUP]` reports per setup the detector's precision and recall against
 * them and lists every miss and false alarm, with their charts as albums (Telegram: 2–10 photos per album).
 * main.ts: `installLabelsFeature(ita, { labels, check })` after createBot.
 */
import { InputFile, InputMediaBuilder } from 'grammy';
import type { BotContext } from '../context.ts';
import type { ItaBot } from '../create-bot.ts';
import { escapeHtml } from '../format/html.ts';
import { formatPercent } from '../format/numbers.ts';
import { localizeEngineText } from '../i18n/engine-translator.ts';
import type { LabelService } from '../../engine/learning/labels/service.ts';
import type { LabelCheckResult } from '../../engine/learning/labels/check.ts';
import type { StoredLabel } from '../../engine/learning/labels/store.ts';
import type { Logger } from '../../logger.ts';

export interface LabelsFeatureOptions {
  labels: LabelService;
  /** Runs the check of these labels (charts written to files). */
  check: (labels: StoredLabel[]) => Promise<LabelCheckResult>;
  logger?: Logger;
}

/** Telegram's album limit; more than two albums of mistakes is more than a phone screen can take in. */
const ALBUM = 10;
const MAX_CHARTS = 20;
const MAX_LISTED = 25;
const MAX_CSV_BYTES = 512 * 1024;
const MESSAGE_LIMIT = 4096;

export function installLabelsFeature(ita: Pick<ItaBot, 'commands' | 'handlers' | 'download'>, options: LabelsFeatureOptions): void {
  const { labels } = options;
  const lang = (ctx: BotContext) => (ctx.lang === 'ru' ? 'ru' : 'en');

  ita.handlers.on('message:photo', async (ctx, next) => {
    const caption = ctx.message.caption ?? '';
    const photo = ctx.message.photo.at(-1)!;
    const file = await fileBytes(ctx, ita, photo.file_id, caption);
    if (file === 'not-a-label') return next();
    const reply = await labels.fromCaption(caption, { bytes: file, extension: 'jpg' });
    if (!reply) return next();
    await ctx.reply(escapeHtml(localizeEngineText(reply.text, lang(ctx))), { parse_mode: 'HTML' });
  });

  ita.handlers.on('message:document', async (ctx, next) => {
    const document = ctx.message.document;
    const name = document.file_name ?? 'labels.csv';
    const caption = ctx.message.caption ?? '';
    const isCsv = /\.csv$/i.test(name) || document.mime_type === 'text/csv';
    if (!isCsv && !/^\s*\/?(label|метка)\b/i.test(caption)) return next();
    if (isCsv && (document.file_size ?? 0) > MAX_CSV_BYTES) {
      return ctx.reply(ctx.t('labels.tooBig', { name: escapeHtml(name), size: Math.ceil((document.file_size ?? 0) / 1024), limit: MAX_CSV_BYTES / 1024 }), { parse_mode: 'HTML' });
    }
    let bytes: Buffer;
    try {
      const file = await ctx.api.getFile(document.file_id);
      bytes = await ita.download(file.file_path!);
    } catch (error) {
      return ctx.reply(ctx.t('labels.badFile', { name: escapeHtml(name), error: escapeHtml(error instanceof Error ? error.message : String(error)) }), { parse_mode: 'HTML' });
    }
    if (isCsv) {
      const reply = await labels.importCsv(bytes.toString('utf8'), 'chat');
      return ctx.reply(escapeHtml(localizeEngineText(reply.text, lang(ctx))), { parse_mode: 'HTML' });
    }
    const extension = /\.([a-z0-9]{1,5})$/i.exec(name)?.[1] ?? 'bin';
    const reply = await labels.fromCaption(caption, { bytes, extension });
    if (!reply) return next();
    await ctx.reply(escapeHtml(localizeEngineText(reply.text, lang(ctx))), { parse_mode: 'HTML' });
  });

  ita.commands.register({
    name: 'labels',
    description: { en: 'Your labelled examples vs the detector: precision, recall, misses', ru: 'Ваши размеченные примеры против детектора: точность, полнота, пропуски' },
    async handler(ctx, args) {
      const setupId = args.trim().split(/\s+/)[0] || undefined;
      const stored = await labels.list(setupId ? { setupId } : {});
      if (stored.length === 0) return ctx.reply(ctx.t('labels.none'), { parse_mode: 'HTML' });
      await ctx.reply(ctx.t('labels.checking', { n: stored.length }));
      const result = await options.check(stored);
      await ctx.reply(reportText(ctx, result), { parse_mode: 'HTML' });
      const charts = result.reports.flatMap((r) => r.charts);
      const shown = charts.slice(0, MAX_CHARTS);
      for (let i = 0; i < shown.length; i += ALBUM) {
        const part = shown.slice(i, i + ALBUM);
        const caption = i === 0 ? ctx.t('labels.charts', { shown: shown.length, total: charts.length }) : undefined;
        if (part.length === 1) await ctx.replyWithPhoto(new InputFile(part[0]), { caption });
        else await ctx.replyWithMediaGroup(part.map((file, k) => InputMediaBuilder.photo(new InputFile(file), k === 0 && caption ? { caption } : {})));
      }
    },
  });
}

/** The photo's bytes when its caption is a label; 'not-a-label' otherwise (left to other handlers, nothing downloaded). */
async function fileBytes(ctx: BotContext, ita: Pick<ItaBot, 'download'>, fileId: string, caption: string): Promise<Buffer | 'not-a-label'> {
  if (!/^\s*\/?(label|метка)\b/i.test(caption)) return 'not-a-label';
  const file = await ctx.api.getFile(fileId);
  return ita.download(file.file_path!);
}

function reportText(ctx: BotContext, result: LabelCheckResult): string {
  const when = (ts: number) => new Date(ts).toISOString().slice(0, 16).replace('T', ' ');
  const pct = (x: number) => (Number.isFinite(x) ? formatPercent(x, 0) : '—');
  const lines: string[] = [];
  let tolerance = 2;
  for (const { report: r } of result.reports) {
    tolerance = r.toleranceBars;
    lines.push(ctx.t('labels.report', {
      setup: escapeHtml(r.setupId), symbol: escapeHtml(r.symbol), tf: r.timeframe, precision: pct(r.precision), recall: pct(r.recall),
      matched: r.matched, judged: r.judgedSignals, labels: r.labels,
    }));
    const items = [
      ...r.misses.map((m) => ({ ts: m.ts, text: ctx.t('labels.miss', { time: when(m.ts), side: ctx.t(m.side === 'long' ? 'side.long' : 'side.short') }) })),
      ...r.falseAlarms.map((s) => ({ ts: s.ts, text: ctx.t('labels.falseAlarm', { time: when(s.ts), side: ctx.t(s.side === 'long' ? 'side.long' : 'side.short'), score: s.score.toFixed(1) }) })),
    ].sort((a, b) => a.ts - b.ts);
    for (const item of items.slice(0, MAX_LISTED)) lines.push(`  ${item.text}`);
    if (items.length > MAX_LISTED) lines.push(`  ${ctx.t('labels.more', { n: items.length - MAX_LISTED })}`);
  }
  for (const p of result.problems) {
    lines.push(p.kind === 'unknown-setup'
      ? ctx.t('labels.unknownSetup', { n: p.labels, setup: escapeHtml(p.setupId) })
      : ctx.t('labels.noCandles', { setup: escapeHtml(p.setupId), symbol: escapeHtml(p.symbol), tf: p.timeframe, n: p.labels }));
  }
  lines.push('', `<i>${ctx.t('labels.legend', { bars: tolerance })}</i>`);
  let text = lines.join('\n');
  // Telegram's message limit: cut whole lines, never inside a tag.
  while (text.length > MESSAGE_LIMIT) {
    lines.splice(lines.length - 3, 1);
    text = lines.join('\n');
  }
  return text;
}
