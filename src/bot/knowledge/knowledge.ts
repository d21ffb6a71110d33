/**
 * The knowledge base over Telegram: /ask, /docs, /forget, document uploads and (when the user opted in) plain text
 * as a question. Uploads are checked (type, size from file_size) BEFORE anything is downloaded.
 */
import { InlineKeyboard, type Bot } from 'grammy';
import type { BotContext } from '../context.ts';
import { html, type FeatureDeps } from '../feature.ts';
import type { BotServices } from '../services.ts';
import { escapeHtml } from '../format/html.ts';
import { formatDateTime } from '../format/time.ts';
import { startProgress } from '../progress.ts';
import { parseCommand } from '../commands/registry.ts';
import { theoryUnderAnswer } from '../lab/theory.ts';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
const ACCEPTED = /\.(pdf|docx|md|markdown|txt|html?)$/i;

type Knowledge = NonNullable<BotServices['knowledge']>;

export function installKnowledge(deps: FeatureDeps, bot: Bot<BotContext>): void {
  const { registry, services, handlers } = deps;

  const withKnowledge = async (ctx: BotContext, run: (knowledge: Knowledge) => Promise<unknown>) => {
    if (!services.knowledge) return ctx.reply(ctx.t('error.notConfigured', { feature: ctx.t('feature.knowledge') }));
    await run(services.knowledge);
  };

  const ask = (ctx: BotContext, question: string) =>
    withKnowledge(ctx, async (knowledge) => {
      await ctx.replyWithChatAction('typing');
      const answer = knowledge.answer ? await knowledge.answer(question, ctx.lang) : { html: await knowledge.ask(question, ctx.lang), passages: [] };
      // Verdicts of tested passages beside the citations, and "Test this" under the answer (the lab's theory loop).
      const shown = await theoryUnderAnswer(services.lab?.theory, answer.passages, answer.html, ctx.t);
      await ctx.reply(shown.html, { ...html, link_preview_options: { is_disabled: true }, reply_markup: shown.keyboard });
    });

  registry.register({
    name: 'ask',
    description: { en: 'Ask the knowledge base: /ask QUESTION', ru: 'Вопрос к базе знаний: /ask ВОПРОС' },
    handler: (ctx, args) => (args ? ask(ctx, args) : ctx.reply(ctx.t('ask.usage'))),
  });

  deps.pages.register('docs', {
    async load(ctx) {
      if (!services.knowledge) return undefined;
      const [documents, settings] = await Promise.all([services.knowledge.list(), deps.settingsOf(ctx)]);
      const items = documents.map((d) => ctx.t('docs.line', {
        id: d.id, name: escapeHtml(d.name), chunks: d.chunks,
        pages: d.pages ? ctx.t('docs.pages', { pages: d.pages }) : '', time: formatDateTime(d.addedAt, settings.timezone),
      }));
      return { header: ctx.t('docs.title'), items, footer: ctx.t('docs.footer') };
    },
  });

  registry.register({
    name: 'docs',
    description: { en: 'Documents in the knowledge base', ru: 'Документы в базе знаний' },
    handler: (ctx) =>
      withKnowledge(ctx, async (knowledge) => {
        if ((await knowledge.list()).length === 0) return ctx.reply(ctx.t('docs.empty'));
        await deps.pages.reply(ctx, 'docs');
      }),
  });

  registry.register({
    name: 'forget',
    description: { en: 'Remove a document: /forget ID', ru: 'Удалить документ: /forget ID' },
    handler: (ctx, args) =>
      withKnowledge(ctx, async (knowledge) => {
        if (!/^\d{1,9}$/.test(args)) return ctx.reply(ctx.t('forget.usage'));
        const document = (await knowledge.list()).find((d) => d.id === Number(args));
        if (!document) return ctx.reply(ctx.t('forget.unknown', { id: args }));
        const keyboard = new InlineKeyboard().text(ctx.t('common.confirm'), `kb:forget:${document.id}`).text(ctx.t('common.cancel'), 'kb:keep');
        await ctx.reply(ctx.t('forget.confirm', { name: escapeHtml(document.name) }), { ...html, reply_markup: keyboard });
      }),
  });

  handlers.callbackQuery(/^kb:(?:forget:(\d{1,9})|keep)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    if (!ctx.match[1]) return ctx.editMessageText(ctx.t('common.cancelled'));
    if (!services.knowledge) return ctx.editMessageText(ctx.t('error.notConfigured', { feature: ctx.t('feature.knowledge') }));
    const removed = await services.knowledge.remove(Number(ctx.match[1]));
    await ctx.editMessageText(ctx.t(removed ? 'forget.done' : 'forget.unknown', { id: ctx.match[1] }));
  });

  // Labelled examples (a CSV of label lines, or a screenshot sent as a file with a "label …" caption) are the labels
  // feature's (src/bot/learning/labels.ts), installed after this one.
  const isLabelUpload = (ctx: BotContext) => /\.csv$/i.test(ctx.message?.document?.file_name ?? '') || /^\s*\/?(label|метка)\b/i.test(ctx.message?.caption ?? '');
  bot.on('message:document', (ctx, next) => isLabelUpload(ctx) ? next() :
    withKnowledge(ctx, async (knowledge) => {
      const document = ctx.message.document;
      const name = document.file_name ?? 'document';
      if (!ACCEPTED.test(name)) return ctx.reply(ctx.t('upload.badType', { name: escapeHtml(name) }), html);
      if ((document.file_size ?? 0) > MAX_UPLOAD_BYTES) {
        return ctx.reply(ctx.t('tx.upload.tooBigForBots', { name: escapeHtml(name), size: ((document.file_size ?? 0) / 1048576).toFixed(1), limit: MAX_UPLOAD_BYTES / 1048576 }), html);
      }
      const chatId = ctx.chat.id;
      const t = ctx.t;
      const safeName = escapeHtml(name);
      const progress = await startProgress(deps.api(), chatId, t('upload.downloading', { name: safeName }), { intervalMs: deps.progressIntervalMs });
      const file = await ctx.getFile();
      deps.detached({ chatId, language: ctx.lang }, 'document ingest', async () => {
        try {
          const bytes = await deps.download(file.file_path!);
          const result = await knowledge.ingest(name, bytes, (p) => progress.update(t('upload.progress', { name: safeName, stage: escapeHtml(p.stage), done: p.done, total: p.total })));
          const d = result.document;
          await progress.finish(result.duplicate
            ? t('upload.duplicate', { name: safeName, id: d.id })
            : t('upload.done', { name: safeName, chunks: d.chunks, pages: d.pages ? t('docs.pages', { pages: d.pages }) : '' }));
        } catch (error) {
          deps.logger.warn('document ingest failed', { chatId, error: error instanceof Error ? error.message : String(error) });
          await progress.finish(t('upload.failed', { name: safeName, error: escapeHtml(error instanceof Error ? error.message : String(error)) }));
        }
      });
    }),
  );

  bot.on('message:text', async (ctx) => {
    // Only in private chats: in a group, ordinary conversation must not trigger answers.
    if (ctx.chat.type !== 'private' || parseCommand(ctx.message.text)) return;
    const settings = await deps.settingsOf(ctx);
    if (settings.askOnPlainText) await ask(ctx, ctx.message.text);
  });
}
