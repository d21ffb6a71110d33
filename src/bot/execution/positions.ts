/**
 * /positions, /close, /closeall and their buttons. Anything that moves money asks Yes / No first; the answer's
 * callback data is validated again when it comes back: the position must STILL be open (a Yes pressed after the
 * position closed is refused), and /closeall acts only on exactly the set of positions it listed.
 */
import { InlineKeyboard } from 'grammy';
import type { CommandSpec } from '../commands/registry.ts';
import type { BotContext } from '../context.ts';
import { html } from '../feature.ts';
import { escapeHtml } from '../format/html.ts';
import { formatPrice, formatR } from '../format/numbers.ts';
import { actor, type ExecutionDeps } from './context.ts';
import { engineHtml, errorText, positionLabel, positionLines, quoteCurrency, signedMoney } from './format.ts';
import { POSITION_REF, findByRef, matchPositions, positionRef, positionSetRef } from './refs.ts';

/** Telegram messages stop at 4096 characters; about 250 per position leaves room for 15. */
const MAX_LISTED = 15;

export function confirmKeyboard(ctx: BotContext, yesData: string): InlineKeyboard {
  return new InlineKeyboard().text(ctx.t('exec.yes'), yesData).text(ctx.t('exec.no'), 'ex:no');
}

export function positionCommands(deps: ExecutionDeps): CommandSpec[] {
  const { executor, handlers } = deps;

  const askClose = async (ctx: BotContext, ref: string) => {
    const position = findByRef(await executor.positions(), ref);
    if (!position) return ctx.reply(ctx.t('exec.gone'));
    // A resting entry is an order, not a position: cancelling it closes nothing at market.
    const text = position.status === 'pending'
      ? ctx.t('exec.cancelOrder.confirm', { position: positionLabel(position, ctx.t), entry: formatPrice(position.entryPrice) })
      : ctx.t('exec.close.confirm', {
        position: positionLabel(position, ctx.t), pnl: signedMoney(position.realized + position.unrealized, quoteCurrency(position.symbol)), r: formatR(position.r),
      });
    await ctx.reply(text, { ...html, reply_markup: confirmKeyboard(ctx, `ex:cy:${ref}`) });
  };

  const askBreakEven = async (ctx: BotContext, ref: string) => {
    const position = findByRef(await executor.positions(), ref);
    if (!position) return ctx.reply(ctx.t('exec.gone'));
    if (position.status !== 'open') return ctx.reply(ctx.t('exec.breakEven.notOpen'));
    const text = ctx.t('exec.breakEven.confirm', { position: positionLabel(position, ctx.t), entry: formatPrice(position.entryPrice) });
    await ctx.reply(text, { ...html, reply_markup: confirmKeyboard(ctx, `ex:by:${ref}`) });
  };

  /** Runs a confirmed action and puts its outcome into the question message (which drops its buttons). */
  const settle = async (ctx: BotContext, act: () => Promise<string>) => {
    let text: string;
    try {
      text = await act();
    } catch (error) {
      deps.logger?.warn('execution action failed', { error: error instanceof Error ? error.message : String(error) });
      text = ctx.t('exec.failed', { error: errorText(error, ctx.lang) });
    }
    await ctx.editMessageText(text, html);
  };

  handlers.callbackQuery(new RegExp(`^ex:([cb]):(${POSITION_REF})$`), async (ctx) => {
    await ctx.answerCallbackQuery();
    await (ctx.match[1] === 'c' ? askClose(ctx, ctx.match[2]) : askBreakEven(ctx, ctx.match[2]));
  });

  handlers.callbackQuery(new RegExp(`^ex:([cb])y:(${POSITION_REF})$`), async (ctx) => {
    const position = findByRef(await executor.positions(), ctx.match[2]);
    if (!position) {
      await ctx.answerCallbackQuery({ text: ctx.t('exec.gone'), show_alert: true });
      return ctx.editMessageText(ctx.t('exec.gone'));
    }
    await ctx.answerCallbackQuery();
    if (ctx.match[1] === 'c') return settle(ctx, async () => `✅ ${engineHtml(await executor.close(position.id, actor(ctx)), ctx.lang)}`);
    return settle(ctx, async () => `🛡 ${engineHtml(await executor.moveStopToBreakEven(position.id), ctx.lang)}`);
  });

  handlers.callbackQuery(new RegExp(`^ex:ay:(${POSITION_REF})$`), async (ctx) => {
    const positions = await executor.positions();
    if (positions.length === 0 || positionSetRef(positions) !== ctx.match[1]) {
      await ctx.answerCallbackQuery({ text: ctx.t('exec.closeAll.changed'), show_alert: true });
      return ctx.editMessageText(ctx.t('exec.closeAll.changed'));
    }
    await ctx.answerCallbackQuery();
    await settle(ctx, async () => {
      const results = await executor.closeAll(actor(ctx));
      return [ctx.t('exec.closeAll.done', { count: results.length }), ...results.map((r) => `• ${engineHtml(r, ctx.lang)}`)].join('\n');
    });
  });

  return [
    {
      name: 'positions',
      description: { en: 'Open positions with live PnL; close or stop to break-even', ru: 'Открытые позиции с текущим PnL; закрыть или стоп в б/у' },
      async handler(ctx) {
        const positions = await executor.positions();
        if (positions.length === 0) return ctx.reply(ctx.t('exec.positions.empty'));
        const listed = positions.slice(0, MAX_LISTED);
        const lines = [ctx.t('exec.positions.title', { mode: executor.mode().toUpperCase() })];
        const keyboard = new InlineKeyboard();
        listed.forEach((p, i) => {
          lines.push('', ...positionLines(p, i + 1, ctx.t));
          keyboard.text(ctx.t(p.status === 'pending' ? 'exec.button.cancelOrder' : 'exec.button.close', { n: i + 1 }), `ex:c:${positionRef(p.id)}`);
          if (p.status === 'open') keyboard.text(ctx.t('exec.button.breakEven', { n: i + 1 }), `ex:b:${positionRef(p.id)}`);
          keyboard.row();
        });
        if (positions.length > listed.length) lines.push('', `… +${positions.length - listed.length}`);
        lines.push('', ctx.t('exec.positions.footer'));
        await ctx.reply(lines.join('\n'), { ...html, reply_markup: keyboard });
      },
    },
    {
      name: 'close',
      description: { en: 'Close a position: /close ID (asks first)', ru: 'Закрыть позицию: /close ID (с подтверждением)' },
      async handler(ctx, args) {
        if (!args || /\s/.test(args)) return ctx.reply(ctx.t('exec.close.usage'));
        const found = matchPositions(await executor.positions(), args);
        if (found.length === 0) return ctx.reply(ctx.t('exec.close.unknown', { value: escapeHtml(args) }), html);
        if (found.length > 1) return ctx.reply(ctx.t('exec.close.ambiguous', { value: escapeHtml(args) }), html);
        await askClose(ctx, positionRef(found[0].id));
      },
    },
    {
      name: 'closeall',
      description: { en: 'Close every open position (asks first)', ru: 'Закрыть все открытые позиции (с подтверждением)' },
      async handler(ctx) {
        const positions = await executor.positions();
        if (positions.length === 0) return ctx.reply(ctx.t('exec.positions.empty'));
        const lines = [ctx.t('exec.closeAll.confirm', { count: positions.length })];
        positions.forEach((p, i) => lines.push(`${i + 1}. ${positionLabel(p, ctx.t)} · ${signedMoney(p.realized + p.unrealized, quoteCurrency(p.symbol))} (${formatR(p.r)})`));
        await ctx.reply(lines.join('\n'), { ...html, reply_markup: confirmKeyboard(ctx, `ex:ay:${positionSetRef(positions)}`) });
      },
    },
  ];
}
