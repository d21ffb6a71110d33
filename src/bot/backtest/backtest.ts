/**
 * /backtest: either inline (/backtest SETUP SYMBOL TF [from] [to]) or a five-step conversation with buttons
 * (setup → market → timeframe → period → options). Every service AND Telegram call inside the conversation goes
 * through conversation.external with the bot's own Api: replays then reuse the recorded result, and auto-retry and
 * the throttler wrap the real call only. (The conversation's ctx.api logs each raw attempt, so a 429 retried on it
 * would be replayed — waiting retry_after again — on every later step.) The run is launched outside the dialog.
 */
import { InlineKeyboard, type Api, type Context } from 'grammy';
import type { Conversation } from '@grammyjs/conversations';
import type { Timeframe } from '../../engine/types.ts';
import type { BotContext } from '../context.ts';
import { html, type FeatureDeps } from '../feature.ts';
import type { Language } from '../services.ts';
import { escapeHtml, truncate } from '../format/html.ts';
import { formatDateTime, parseDate } from '../format/time.ts';
import { timeframeMs } from '../../engine/market/timeframes.ts';
import { missingDataText, outsideRangeText, rangeText, usableRange } from '../commands/stored-data.ts';
import { localizeEngineText, translator } from '../i18n/index.ts';
import { InputError } from '../../engine/errors.ts';
import { askToApply } from '../commands/setups.ts';
import { parseSymbol, parseTimeframe, splitArgs } from '../commands/args.ts';
import type { BacktestJobs } from './jobs.ts';
import { launchBacktest } from './run-job.ts';

export const BACKTEST_CONVERSATION = 'backtest';
const DAY_MS = 86_400_000;
const PERIODS = ['all', '30', '90', '365'] as const;
const OPTIONS = { plain: {}, wf: { walkForward: true }, mc: { monteCarlo: 1000 }, opt: { optimize: true } } as const;
/** A half-finished dialog is dropped after this long without an answer. */
const STEP_TIMEOUT_MS = 30 * 60_000;

export function backtestConversation(deps: FeatureDeps, jobs: BacktestJobs) {
  return async function backtest(conversation: Conversation<BotContext, Context>, ctx: Context, language: Language): Promise<void> {
    const t = translator(language);
    const chatId = ctx.chat!.id;
    const setups = await conversation.external(() => deps.services.setups.list());
    const markets = await conversation.external(() => deps.services.backtest?.markets() ?? Promise.resolve([]));
    // One clock: in a bar replay "the last 30 days" end where the replay is, never in its future.
    const [stored, clockNow] = await conversation.external(async () => [await deps.services.candles.stored(), deps.services.now()] as const);
    if (setups.length === 0) return void (await conversation.external(() => deps.api().sendMessage(chatId, t('backtest.noSetups'))));
    if (markets.length === 0) return void (await conversation.external(() => deps.api().sendMessage(chatId, t('backtest.noMarkets'))));

    const telegram = <R>(call: (api: Api) => Promise<R>) => conversation.external(() => call(deps.api()));
    const withCancel = (keyboard: InlineKeyboard) => keyboard.row().text(t('common.cancel'), 'bt:c');
    const setupKeyboard = withCancel(grid(setups.map((s, i) => [truncate(s.name, 30), `bt:s:${i}`]), 2));
    const question = await telegram((api) => api.sendMessage(chatId, t('backtest.chooseSetup'), { reply_markup: setupKeyboard }));
    const edit = (text: string, keyboard?: InlineKeyboard) =>
      telegram((api) => api.editMessageText(chatId, question.message_id, text, { reply_markup: keyboard }));

    /** Waits for a press on THIS dialog's buttons; anything else (commands, other buttons) passes on to the bot. */
    const choose = async (prefix: string): Promise<string | undefined> => {
      const pattern = new RegExp(`^bt:(?:${prefix}:(.+)|c)$`);
      const answer = await conversation.waitUntil(
        (c) => c.callbackQuery?.message?.message_id === question.message_id && pattern.test(c.callbackQuery.data ?? ''),
        { next: true, maxMilliseconds: STEP_TIMEOUT_MS },
      );
      const data = answer.callbackQuery!.data!;
      const queryId = answer.callbackQuery!.id;
      await telegram((api) => api.answerCallbackQuery(queryId));
      if (data === 'bt:c') {
        await edit(t('common.cancelled'));
        return undefined;
      }
      return pattern.exec(data)![1];
    };
    const ask = (text: string, keyboard: InlineKeyboard) => edit(text, withCancel(keyboard));

    const setup = setups[Number(await choose('s'))];
    if (!setup) return;
    const pairs = [...new Map(markets.map((m) => [`${m.exchange} ${m.symbol}`, m])).values()];
    await ask(`${t('backtest.chooseMarket')}\n${setup.name}`, grid(pairs.map((m, i) => [`${m.symbol} · ${m.exchange}`, `bt:m:${i}`]), 2));
    const pair = pairs[Number(await choose('m'))];
    if (!pair) return;
    const timeframes = markets.filter((m) => m.exchange === pair.exchange && m.symbol === pair.symbol).map((m) => m.timeframe);
    await ask(`${t('backtest.chooseTimeframe')}\n${setup.name} · ${pair.symbol}`, grid(timeframes.map((tf) => [tf, `bt:t:${tf}`]), 4));
    const chosenTimeframe = await choose('t');
    if (!chosenTimeframe || !timeframes.includes(chosenTimeframe as Timeframe)) return;
    const periodKeyboard = grid(PERIODS.map((p) => [p === 'all' ? t('backtest.periodAll') : t('backtest.periodDays', { days: p }), `bt:p:${p}`]), 2);
    const range = usableRange(stored, { exchange: pair.exchange, symbol: pair.symbol, timeframe: chosenTimeframe as Timeframe }, clockNow);
    const rangeLine = range ? `\n${t('backtest.dataRange', { range: rangeText(range, t), end: `${formatDateTime(range.end)} UTC` })}` : '';
    await ask(`${t('backtest.choosePeriod')}\n${setup.name} · ${pair.symbol} · ${chosenTimeframe}${rangeLine}`, periodKeyboard);
    const period = await choose('p');
    if (!period || !(PERIODS as readonly string[]).includes(period)) return;
    const optionKeyboard = new InlineKeyboard()
      .text(t('backtest.optionPlain'), 'bt:o:plain').row()
      .text(t('backtest.optionWalkForward'), 'bt:o:wf').row()
      .text(t('backtest.optionMonteCarlo'), 'bt:o:mc').row()
      .text(t('backtest.optionOptimize'), 'bt:o:opt');
    await ask(`${t('backtest.chooseOptions')}\n${setup.name} · ${pair.symbol} · ${chosenTimeframe}`, optionKeyboard);
    const option = await choose('o');
    if (!option || !(option in OPTIONS)) return;
    const end = range?.end ?? (await conversation.now());
    await edit(`${setup.name} · ${pair.symbol} · ${chosenTimeframe} · ${period === 'all' ? t('backtest.periodAll') : t('backtest.periodDays', { days: period })}`);
    await conversation.external(() =>
      launchBacktest(deps, jobs, {
        chatId,
        language,
        setupName: setup.name,
        request: {
          setupId: setup.id, symbol: pair.symbol, exchange: pair.exchange, timeframe: chosenTimeframe as Timeframe,
          from: period === 'all' ? undefined : end - Number(period) * DAY_MS,
          // Candles that close by the end only (a replay's stored future stays out).
          to: end - timeframeMs(chosenTimeframe as Timeframe),
          ...OPTIONS[option as keyof typeof OPTIONS],
        },
      }),
    );
  };
}

function grid(buttons: Array<[string, string]>, perRow: number): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  buttons.forEach(([label, data], i) => {
    keyboard.text(label, data);
    if (i % perRow === perRow - 1) keyboard.row();
  });
  return keyboard;
}

export function installBacktest(deps: FeatureDeps, jobs: BacktestJobs): void {
  const { registry, services, handlers } = deps;

  registry.register({
    name: 'backtest',
    description: { en: 'Backtest a setup: step by step, or /backtest SETUP SYMBOL TF [from] [to]', ru: 'Бэктест сетапа: по шагам или /backtest СЕТАП СИМВОЛ ТФ [с] [по]' },
    async handler(ctx: BotContext, args: string) {
      if (!services.backtest) return ctx.reply(ctx.t('error.notConfigured', { feature: ctx.t('feature.backtest') }));
      if (!args) {
        await ctx.conversation.exit(BACKTEST_CONVERSATION);
        return ctx.conversation.enter(BACKTEST_CONVERSATION, ctx.lang);
      }
      const words = splitArgs(args);
      if (words.length < 3 || words.length > 5) return ctx.reply(ctx.t('backtest.usage'));
      const setup = await services.setups.get(words[0]);
      if (!setup) return ctx.reply(ctx.t('setup.unknown', { id: escapeHtml(words[0]) }), html);
      const symbol = parseSymbol(words[1], ctx.t);
      if (!symbol.ok) return ctx.reply(`${symbol.error}\n${ctx.t('backtest.usage')}`, html);
      const timeframe = parseTimeframe(words[2], ctx.t);
      if (!timeframe.ok) return ctx.reply(`${timeframe.error}\n${ctx.t('backtest.usage')}`, html);
      const dates = words.slice(3).map((word) => ({ word, ts: parseDate(word) }));
      const bad = dates.find((d) => d.ts === undefined);
      if (bad) return ctx.reply(ctx.t('backtest.badDate', { value: escapeHtml(bad.word) }), html);
      const markets = await services.backtest.markets();
      const stored = markets.find((m) => m.symbol === symbol.value && m.timeframe === timeframe.value);
      const market = { symbol: symbol.value, timeframe: timeframe.value, exchange: stored?.exchange ?? deps.defaultExchange };
      const [ranges, now] = [await services.candles.stored(), services.now()];
      const range = usableRange(ranges, market, now);
      if (!range) return ctx.reply(missingDataText(ranges, market, now, ctx.t), html);
      const from = dates[0]?.ts;
      // "to" is inclusive of that day for the trader; never past the run's clock.
      const to = Math.min(dates[1]?.ts === undefined ? Infinity : dates[1].ts! + DAY_MS - 1, range.end - timeframeMs(timeframe.value));
      const outside = outsideRangeText(range, from, to, ctx.t);
      if (outside) return ctx.reply(outside, html);
      await launchBacktest(deps, jobs, {
        chatId: ctx.chat!.id,
        language: ctx.lang,
        setupName: setup.name,
        request: {
          setupId: setup.id, symbol: symbol.value, timeframe: timeframe.value, exchange: market.exchange,
          from,
          to: dates[1]?.ts === undefined && to >= range.storedLastTs ? undefined : to,
        },
      });
    },
  });

  handlers.callbackQuery(/^bt:x:([a-z0-9]{1,20})$/, async (ctx) => {
    const cancelled = jobs.cancel(ctx.match[1], ctx.chat!.id);
    await ctx.answerCallbackQuery({ text: ctx.t(cancelled ? 'backtest.cancelling' : 'backtest.notRunning') });
  });
  // "Apply these parameters" under an optimizer result: drafted against the version that was optimized, then confirmed.
  handlers.callbackQuery(/^bt:ap:([a-z0-9]{1,20})$/, async (ctx) => {
    const offer = jobs.takeOffer(ctx.match[1], ctx.chat!.id);
    await ctx.answerCallbackQuery();
    if (!offer) return ctx.reply(ctx.t('backtest.offerExpired'));
    let draft;
    try {
      draft = await services.setups.draft(offer.setupId, { kind: 'params', values: offer.best, expectedVersion: offer.version });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return ctx.reply(ctx.t('setup.editRefused', { error: escapeHtml(localizeEngineText(error.message, ctx.lang)) }), html);
    }
    await askToApply(ctx, draft);
  });
  // A button of a dialog that is over (finished, cancelled, timed out, or lost in a restart).
  handlers.callbackQuery(/^bt:/, (ctx) => ctx.answerCallbackQuery({ text: ctx.t('signal.badButton') }));
}
