/**
 * /pnl, /risk, /pause, /resume, /report, /journal. /pause is immediate (it only stops new entries, the safe
 * direction); /resume asks first because it also lifts a tripped kill switch, and says so.
 */
import { InputFile } from 'grammy';
import type { CommandSpec } from '../commands/registry.ts';
import { html } from '../feature.ts';
import { escapeHtml } from '../format/html.ts';
import { actor, type ExecutionDeps } from './context.ts';
import { engineHtml, errorText, parsePeriod, pnlContent, pnlText } from './format.ts';
import { Pager } from '../render/pages.ts';
import { confirmKeyboard } from './positions.ts';
import { StaleConfirmationError } from '../../engine/errors.ts';

/** Photo captions stop at 1024 characters; a longer report text goes as its own message. */
const CAPTION_LIMIT = 1024;

export function controlCommands(deps: ExecutionDeps): CommandSpec[] {
  const { executor, handlers } = deps;
  const pages = new Pager(handlers);
  pages.register('pnl', {
    async load(ctx, arg) {
      const period = parsePeriod(arg);
      if (!period) return undefined;
      const [summary, timeZone] = await Promise.all([executor.pnl(period), deps.timeZoneOf(ctx.from?.id)]);
      return pnlContent(summary, ctx.t, timeZone);
    },
  });

  // The Yes carries the token of the state the question was shown for; a button without one (or with an old one)
  // is refused by the executor without resuming anything.
  handlers.callbackQuery(/^ex:ry(?::([0-9a-f]{8}))?$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    let text: string;
    try {
      text = ctx.t('exec.resume.done', { text: engineHtml(await executor.resume(actor(ctx), ctx.match[1] ?? 'none'), ctx.lang) });
    } catch (error) {
      text = error instanceof StaleConfirmationError ? ctx.t('exec.resume.stale') : ctx.t('exec.failed', { error: errorText(error, ctx.lang) });
    }
    await ctx.editMessageText(text, html);
  });

  return [
    {
      name: 'pnl',
      description: { en: 'Profit and loss: /pnl [day|week|month]', ru: 'Прибыль и убыток: /pnl [day|week|month]' },
      async handler(ctx, args) {
        const period = parsePeriod(args);
        if (!period) return ctx.reply(ctx.t('exec.period.usage', { command: 'pnl' }));
        await pages.reply(ctx, 'pnl', period);
      },
    },
    {
      name: 'risk',
      description: { en: 'Risk limits, today’s usage, daily lock and kill switch', ru: 'Риск-лимиты, использование за день, дневной лок и kill switch' },
      async handler(ctx) {
        const lines = await executor.risk();
        await ctx.reply([ctx.t('exec.risk.title', { mode: executor.mode().toUpperCase() }), ...lines.map((line) => engineHtml(line, ctx.lang))].join('\n'), html);
      },
    },
    {
      name: 'pause',
      description: { en: 'Pause: no new entries (open positions stay managed)', ru: 'Пауза: без новых входов (открытые позиции сопровождаются)' },
      async handler(ctx) {
        await ctx.reply(ctx.t('exec.pause.done', { text: engineHtml(await executor.pause(actor(ctx)), ctx.lang) }), html);
      },
    },
    {
      name: 'resume',
      description: { en: 'Resume entries; also lifts the kill switch (asks first)', ru: 'Возобновить входы; снимает и kill switch (с подтверждением)' },
      async handler(ctx) {
        await ctx.reply(ctx.t('exec.resume.confirm'), { ...html, reply_markup: confirmKeyboard(ctx, `ex:ry:${executor.controlToken()}`) });
      },
    },
    {
      name: 'report',
      description: { en: 'Report with equity chart: /report [day|week|month]', ru: 'Отчёт с графиком капитала: /report [day|week|month]' },
      async handler(ctx, args) {
        const period = parsePeriod(args);
        if (!period) return ctx.reply(ctx.t('exec.period.usage', { command: 'report' }));
        await ctx.replyWithChatAction('upload_photo');
        const report = await executor.report(period);
        const periodName = ctx.t(`exec.period.${period}`);
        const text = `${ctx.t('exec.report.title', { period: periodName })}\n${engineHtml(report.text, ctx.lang)}`;
        if (!report.equityPng) return ctx.reply(text, html);
        if (text.length <= CAPTION_LIMIT) {
          await ctx.replyWithPhoto(new InputFile(report.equityPng, `equity-${period}.png`), { caption: text, ...html });
          return;
        }
        await ctx.reply(text, html);
        await ctx.replyWithPhoto(new InputFile(report.equityPng, `equity-${period}.png`), { caption: ctx.t('exec.report.photo', { period: periodName }) });
      },
    },
    {
      name: 'journal',
      description: { en: 'The trade journal as journal.csv', ru: 'Журнал сделок файлом journal.csv' },
      async handler(ctx) {
        await ctx.replyWithChatAction('upload_document');
        const csv = await executor.journalCsv();
        await ctx.replyWithDocument(new InputFile(Buffer.from(csv, 'utf8'), 'journal.csv'), { caption: ctx.t('exec.journal.caption') });
      },
    },
  ];
}
