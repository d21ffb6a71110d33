/**
 * /start, /help, /status and /signals: read-only views over the services.
 */
import { describeRegime } from '../../engine/regime/describe.ts';
import { MIN_BARS_HOLD } from '../../engine/regime/types.ts';
import { html, type FeatureDeps } from '../feature.ts';
import { escapeHtml } from '../format/html.ts';
import { formatDateTime } from '../format/time.ts';
import { localizeEngineText } from '../i18n/index.ts';
import { marketLabel } from './args.ts';
import { installSignalHistory } from '../signals/history.ts';

export function installCoreCommands(deps: FeatureDeps): void {
  const { registry, services } = deps;

  registry.register({
    name: 'start',
    description: { en: 'Greeting and a short guide', ru: 'Приветствие и краткая инструкция' },
    handler: (ctx) => ctx.reply(ctx.t('start.greeting', { name: escapeHtml(ctx.from?.first_name ?? '') }), html),
  });

  registry.register({
    name: 'help',
    description: { en: 'All commands', ru: 'Все команды' },
    handler: (ctx) => ctx.reply(registry.helpText(ctx.lang), html),
  });

  registry.register({
    name: 'status',
    description: { en: 'Feeds, last candles, mode, pending deliveries', ru: 'Потоки, последние свечи, режим, очередь доставки' },
    async handler(ctx) {
      const [report, settings] = await Promise.all([services.status(), deps.settingsOf(ctx)]);
      const tz = settings.timezone;
      const lines = [
        ctx.t('status.title'),
        ctx.t('status.mode', { mode: report.mode, paused: report.paused ? ctx.t('status.paused') : '' }),
        ctx.t('status.since', { time: formatDateTime(report.startedAt, tz) }),
        ctx.t('status.counts', { setups: report.setupsEnabled, signals: report.signalsToday, pending: report.pendingDeliveries }),
        '',
        ctx.t('status.feeds'),
      ];
      if (report.feeds.length === 0) lines.push(ctx.t('status.noFeeds'));
      for (const feed of report.feeds) {
        const candle = feed.lastCandleTs === undefined ? ctx.t('status.noCandle') : ctx.t('status.lastCandle', { time: formatDateTime(feed.lastCandleTs, tz) });
        const regime = feed.regime ? ` — ${ctx.t('status.regime', { regime: escapeHtml(describeRegime(feed.regime, MIN_BARS_HOLD, ctx.lang).replace(/^[^:]+: /, '')) })}` : '';
        lines.push(`${feed.stale ? '🟠' : '🟢'} ${escapeHtml(marketLabel(feed))} — ${candle} — ${escapeHtml(localizeEngineText(feed.health, ctx.lang))}${regime}`);
      }
      if (report.extra.length) lines.push('', ...report.extra.map((line) => escapeHtml(localizeEngineText(line, ctx.lang))));
      await ctx.reply(lines.join('\n'), html);
    },
  });

  // /signals: src/bot/signals/history.ts (paged, with buttons per signal).
  installSignalHistory(deps);
}
