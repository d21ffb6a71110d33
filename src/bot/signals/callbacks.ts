/**
 * Approve / Reject / Details / Similar presses on a signal message. Callback data is validated again on return
 * (format, then the reference, then that the signal still exists). The service guarantees exactly one decision per
 * signal; presses are sequential per chat, so a double tap gets one decision and one polite "already decided".
 */
import { GrammyError } from 'grammy';
import type { BotContext } from '../context.ts';
import { html, type FeatureDeps } from '../feature.ts';
import type { DecisionKind } from '../services.ts';
import { truncate } from '../format/html.ts';
import { REF_PATTERN } from './refs.ts';
import { REJECT_REASONS, decidedKeyboard, rejectReasonKeyboard, type RejectReason } from './signal-message.ts';
import { signalDetails } from './signal-details.ts';
import { verdictView } from './verdict.ts';
import { replySimilar } from './similar.ts';
import { localizeEngineText } from '../i18n/index.ts';

const ACTION = new RegExp(`^sg:([ardsn]):(${REF_PATTERN})$`);
const REASON = new RegExp(`^sg:rr:(${REF_PATTERN}):(${[...REJECT_REASONS, 'skip'].join('|')})$`);

export function installSignalCallbacks(deps: FeatureDeps): void {
  const { handlers, services, refs } = deps;

  const resolveSignal = async (ctx: BotContext, ref: string) => {
    const id = await refs.resolve(ref);
    const signal = id ? await services.signals.get(id) : undefined;
    if (!signal) {
      await ctx.answerCallbackQuery({ text: ctx.t('signal.unknown') });
      await setKeyboard(ctx, undefined);
    }
    return signal;
  };

  const decide = async (ctx: BotContext, ref: string, decision: DecisionKind, reason?: RejectReason) => {
    const signal = await resolveSignal(ctx, ref);
    if (!signal) return;
    // Approving places orders (slow, a broker may hang): a decision taking longer than the prompt time gets its press
    // answered with "working on it" by transport/callback-answers.ts; the verdict then lands on the message.
    const result = await services.signals.decide(signal.id, decision, ctx.from!.id, reason);
    if (!result.ok) {
      const message = localizeEngineText(result.message, ctx.lang);
      await ctx.answerCallbackQuery({ text: truncate(message, 200), show_alert: result.reason !== 'already-decided' });
      await setKeyboard(ctx, decidedKeyboard(ref, ctx.lang, truncate(`⛔ ${message}`, 40)));
      return;
    }
    if (result.decision === 'approve') {
      // The toast and the button hold a few words; the whole verdict (size, risk, reductions, orders) is a message.
      const verdict = verdictView(signal, result.outcome, ctx.lang);
      await ctx.answerCallbackQuery({ text: ctx.t('verdict.toast', { label: verdict.label }) });
      await setKeyboard(ctx, decidedKeyboard(ref, ctx.lang, verdict.label));
      const replyTo = ctx.callbackQuery?.message?.message_id;
      await ctx.reply(verdict.html, { ...html, reply_markup: verdict.keyboard, ...(replyTo ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}) });
      return;
    }
    const label = ctx.t('signal.rejected', { reason: reason ? ` · ${ctx.t(`reason.${reason}`)}` : '' });
    await ctx.answerCallbackQuery({ text: truncate(label, 200) });
    await setKeyboard(ctx, decidedKeyboard(ref, ctx.lang, truncate(label, 60)));
  };

  handlers.callbackQuery(REASON, async (ctx) => {
    await decide(ctx, ctx.match[1], 'reject', ctx.match[2] === 'skip' ? undefined : (ctx.match[2] as RejectReason));
  });

  handlers.callbackQuery(ACTION, async (ctx) => {
    const [, action, ref] = ctx.match;
    if (action === 'n') return void (await ctx.answerCallbackQuery());
    if (action === 'a') return decide(ctx, ref, 'approve');
    if (action === 'r') {
      const signal = await resolveSignal(ctx, ref);
      if (!signal) return;
      await ctx.answerCallbackQuery({ text: ctx.t('signal.whyReject') });
      await setKeyboard(ctx, rejectReasonKeyboard(ref, ctx.lang));
      return;
    }
    const signal = await resolveSignal(ctx, ref);
    if (!signal) return;
    await ctx.answerCallbackQuery();
    const settings = await deps.settingsOf(ctx);
    if (action === 'd') {
      await ctx.reply(signalDetails(signal, ctx.lang, settings.timezone), html);
      return;
    }
    await replySimilar(ctx, deps, signal, settings.timezone);
  });

  handlers.callbackQuery(/^sg:/, (ctx) => ctx.answerCallbackQuery({ text: ctx.t('signal.badButton') }));
}

async function setKeyboard(ctx: BotContext, keyboard: ReturnType<typeof decidedKeyboard> | undefined): Promise<void> {
  try {
    await ctx.editMessageReplyMarkup({ reply_markup: keyboard });
  } catch (error) {
    // The same keyboard again (a repeated press) is not an error worth reporting.
    if (!(error instanceof GrammyError && /not modified/.test(error.description))) throw error;
  }
}
