/**
 * /mode: show it; /mode paper; /mode live → a deliberate two-step switch. Step one asks the executor for a one-time
 * code (refused, with the reason, unless the configuration says `mode: live` and a live broker exists) and explains
 * the risk; step two is the trader TYPING "/mode live CODE". The executor checks the code and burns it on any
 * attempt, so a wrong code leaves paper mode and needs a new request.
 */
import type { CommandSpec } from '../commands/registry.ts';
import type { BotContext } from '../context.ts';
import { html } from '../feature.ts';
import { escapeHtml } from '../format/html.ts';
import { formatDateTime } from '../format/time.ts';
import { splitArgs } from '../commands/args.ts';
import type { ExecutionDeps } from './context.ts';
import { engineHtml } from './format.ts';

export function modeCommand(deps: ExecutionDeps): CommandSpec {
  const { executor } = deps;

  const requestLive = async (ctx: BotContext) => {
    if (executor.mode() === 'live') return ctx.reply(ctx.t('exec.mode.alreadyLive'));
    const request = await executor.requestLive();
    if (!request.ok) return ctx.reply(ctx.t('exec.live.refused', { reason: engineHtml(request.reason, ctx.lang) }), html);
    const timeZone = await deps.timeZoneOf(ctx.from?.id);
    await ctx.reply(ctx.t('exec.live.warning', { code: escapeHtml(request.code), time: `${formatDateTime(request.expiresAt, timeZone)} ${escapeHtml(timeZone)}` }), html);
  };

  const confirmLive = async (ctx: BotContext, code: string) => {
    const result = await executor.confirmLive(code);
    deps.logger?.warn('live trading confirmation', { userId: ctx.from?.id ?? 'none', ok: result.ok });
    await ctx.reply(ctx.t(result.ok ? 'exec.live.enabled' : 'exec.live.wrongCode', { text: engineHtml(result.text, ctx.lang) }), html);
  };

  return {
    name: 'mode',
    description: { en: 'Paper or live: /mode, /mode paper, /mode live', ru: 'Бумажный или реальный режим: /mode, /mode paper, /mode live' },
    async handler(ctx, args) {
      const words = splitArgs(args);
      const target = words[0]?.toLowerCase();
      if (words.length === 0) return ctx.reply(ctx.t('exec.mode.show', { mode: executor.mode().toUpperCase() }), html);
      if (target === 'paper' && words.length === 1) {
        return ctx.reply(ctx.t(executor.mode() === 'paper' ? 'exec.mode.alreadyPaper' : 'exec.mode.paperFromLive'), html);
      }
      if (target === 'live' && words.length === 1) return requestLive(ctx);
      if (target === 'live' && words.length === 2) return confirmLive(ctx, words[1].slice(0, 64));
      await ctx.reply(ctx.t('exec.mode.usage'));
    },
  };
}
