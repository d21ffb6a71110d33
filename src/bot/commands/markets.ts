/**
 * /watch, /unwatch, /watchlist and /chart: markets in and out of the live pipeline.
 */
import { InputFile } from 'grammy';
import { InputError } from '../../engine/errors.ts';
import { html, type FeatureDeps } from '../feature.ts';
import { escapeHtml } from '../format/html.ts';
import { formatDateTime } from '../format/time.ts';
import { localizeEngineText } from '../i18n/index.ts';
import { marketLabel, parseMarket } from './args.ts';
import { missingDataText, usableRange } from './stored-data.ts';

/** Fewer candles than this make no chart worth reading (the chart service refuses them too). */
const MIN_CHART_CANDLES = 20;

export function installMarketCommands(deps: FeatureDeps): void {
  const { registry, services, defaultExchange } = deps;

  registry.register({
    name: 'watch',
    description: { en: 'Watch a market: /watch BTC/USDT 1h [exchange]', ru: 'Следить за рынком: /watch BTC/USDT 1h [биржа]' },
    async handler(ctx, args) {
      const market = parseMarket(args, defaultExchange, ctx.t, ctx.t('watch.usage'));
      if (!market.ok) return ctx.reply(market.error, html);
      const result = await services.watchlist.add(market.value);
      await ctx.reply(`${result.added ? '✅' : 'ℹ️'} ${escapeHtml(localizeEngineText(result.message, ctx.lang))}`, html);
    },
  });

  registry.register({
    name: 'unwatch',
    description: { en: 'Stop watching: /unwatch BTC/USDT 1h', ru: 'Перестать следить: /unwatch BTC/USDT 1h' },
    async handler(ctx, args) {
      const market = parseMarket(args, defaultExchange, ctx.t, ctx.t('unwatch.usage'));
      if (!market.ok) return ctx.reply(market.error, html);
      const removed = await services.watchlist.remove(market.value);
      await ctx.reply(ctx.t(removed ? 'unwatch.done' : 'unwatch.missing', { market: escapeHtml(marketLabel(market.value)) }), html);
    },
  });

  deps.pages.register('watchlist', {
    async load(ctx) {
      const [entries, settings] = await Promise.all([services.watchlist.list(), deps.settingsOf(ctx)]);
      const items = entries.map((entry) => {
        const candle = entry.lastCandleTs === undefined ? ctx.t('status.noCandle') : ctx.t('status.lastCandle', { time: formatDateTime(entry.lastCandleTs, settings.timezone) });
        return `• ${escapeHtml(marketLabel(entry))} — ${candle}`;
      });
      return { header: ctx.t('watchlist.title'), items };
    },
  });

  registry.register({
    name: 'watchlist',
    description: { en: 'Watched markets', ru: 'Рынки под наблюдением' },
    async handler(ctx) {
      if ((await services.watchlist.list()).length === 0) return ctx.reply(ctx.t('watchlist.empty'));
      await deps.pages.reply(ctx, 'watchlist');
    },
  });

  registry.register({
    name: 'chart',
    description: { en: 'Chart of a market now: /chart BTC/USDT 4h', ru: 'График рынка сейчас: /chart BTC/USDT 4h' },
    async handler(ctx, args) {
      const market = parseMarket(args, defaultExchange, ctx.t, ctx.t('chart.usage'));
      if (!market.ok) return ctx.reply(market.error, html);
      // As of the run's clock (a bar replay's position), and only over data that exists.
      const [stored, now] = [await services.candles.stored(), services.now()];
      const range = usableRange(stored, market.value, now);
      if (!range || (range.count ?? Infinity) < MIN_CHART_CANDLES) return ctx.reply(missingDataText(stored, market.value, now, ctx.t), html);
      await ctx.replyWithChatAction('upload_photo');
      let png: Buffer;
      try {
        png = await services.charts.market(market.value, now);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        const stored = (await services.backtest?.markets().catch(() => [])) ?? [];
        return ctx.reply(ctx.t('tx.chart.noData', {
          market: escapeHtml(marketLabel(market.value)), have: escapeHtml(/\(have (\d+)\)/.exec(error.message)?.[1] ?? '0'),
          list: escapeHtml(stored.map((m) => `${m.symbol} ${m.timeframe}`).join(', ') || '—'),
          symbol: escapeHtml(market.value.symbol), timeframe: market.value.timeframe,
        }), html);
      }
      const name = `${market.value.symbol.replace('/', '')}-${market.value.timeframe}.png`;
      await ctx.replyWithPhoto(new InputFile(png, name), { caption: escapeHtml(marketLabel(market.value)), parse_mode: 'HTML' });
    },
  });
}
