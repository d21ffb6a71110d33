/**
 * One backtest from start to delivery: a progress message edited in place (≤ 1 edit/s) with a Cancel button, then
 * the summary, equity.png as a photo and trades.csv as a document.
 */
import { InlineKeyboard, type Api } from 'grammy';
import type { MarketKey } from '../../engine/types.ts';
import type { FeatureDeps } from '../feature.ts';
import type { BacktestRequest, Language, OptimizedParameters } from '../services.ts';
import { formatPercent, formatR } from '../format/numbers.ts';
import { escapeHtml } from '../format/html.ts';
import { sendBacktestResult } from './result-message.ts';
import { translator, type Translate } from '../i18n/index.ts';
import { startProgress } from '../progress.ts';
import { marketLabel } from '../commands/args.ts';
import type { BacktestJobs } from './jobs.ts';

export interface BacktestLaunch {
  chatId: number;
  language: Language;
  request: BacktestRequest & { exchange: string };
  setupName: string;
}

/** "fast 10 → 15, slow 30 → 40", or undefined when the optimizer kept every current value. */
export function parameterChanges(o: OptimizedParameters): string | undefined {
  const changed = Object.entries(o.best).filter(([name, value]) => o.current[name] !== value);
  return changed.length ? changed.map(([name, value]) => `${name} ${o.current[name] ?? '—'} → ${value}`).join(', ') : undefined;
}

/** Under the optimizer's summary: its parameters with the out-of-sample result, and a button to make them a new version. */
async function offerParameters(api: Api, jobs: BacktestJobs, chatId: number, t: Translate, o: OptimizedParameters): Promise<void> {
  const changes = parameterChanges(o);
  if (!changes) return void (await api.sendMessage(chatId, t('backtest.optimizeSame', { setup: escapeHtml(o.setupId) }), { parse_mode: 'HTML' }));
  const keyboard = new InlineKeyboard().text(t('backtest.applyParams'), `bt:ap:${jobs.offer(chatId, o)}`);
  await api.sendMessage(chatId, t('backtest.optimizeOffer', {
    setup: escapeHtml(o.setupId), changes: escapeHtml(changes), trades: o.outOfSample.trades,
    expectancy: formatR(o.outOfSample.expectancyR), ret: formatPercent(o.outOfSample.returnPct / 100),
  }), { parse_mode: 'HTML', reply_markup: keyboard });
}

/** Resolves once the job is accepted (or refused); the run itself continues in the background. */
export async function launchBacktest(deps: FeatureDeps, jobs: BacktestJobs, launch: BacktestLaunch): Promise<void> {
  const api = deps.api();
  const t = translator(launch.language);
  const backtest = deps.services.backtest;
  if (!backtest) {
    await api.sendMessage(launch.chatId, t('error.notConfigured', { feature: t('feature.backtest') }));
    return;
  }
  const job = jobs.begin(launch.chatId);
  if (!job) {
    await api.sendMessage(launch.chatId, t('backtest.alreadyRunning'));
    return;
  }
  const market: MarketKey = { exchange: launch.request.exchange, symbol: launch.request.symbol, timeframe: launch.request.timeframe };
  const names = { setup: escapeHtml(launch.setupName), market: escapeHtml(marketLabel(market)) };
  try {
    const keyboard = new InlineKeyboard().text(t('common.cancel'), `bt:x:${job.id}`);
    const progress = await startProgress(api, launch.chatId, t('backtest.started', names), { keyboard, intervalMs: deps.progressIntervalMs });
    deps.detached({ chatId: launch.chatId, language: launch.language }, 'backtest', async () => {
      try {
        const result = await backtest.run(launch.request, (p) => {
          const percent = p.total > 0 ? `${Math.round((p.done / p.total) * 100)}%` : '…';
          progress.update(t('backtest.running', { ...names, stage: escapeHtml(p.stage), done: p.done, total: p.total, percent }));
        }, job.signal);
        await progress.finish(t('backtest.done', names));
        await sendBacktestResult(api, launch.chatId, t, t('backtest.summaryTitle', names), result, deps.logger);
        if (result.optimized) await offerParameters(api, jobs, launch.chatId, t, result.optimized);
      } catch (error) {
        if (job.signal.aborted) return progress.finish(t('backtest.cancelled', names));
        deps.logger.error('backtest failed', { chatId: launch.chatId, setupId: launch.request.setupId, error: error instanceof Error ? error.message : String(error) });
        await progress.finish(t('backtest.failed', { ...names, error: escapeHtml(error instanceof Error ? error.message : String(error)) }));
      } finally {
        jobs.end(job.id);
      }
    });
  } catch (error) {
    jobs.end(job.id);
    throw error;
  }
}
