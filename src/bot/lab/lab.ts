/**
 * /lab in the chat: choose stored markets (toggles), setups per model and the multi-model mode, Start. The run goes
 * on outside the update with one progress message edited in place (≤ 1 edit per interval) and a Cancel button that
 * aborts it (the LLM calls, the optimizer and the backtests all take the signal). The result lists every candidate
 * with its grade, strengths and weaknesses; survivors are saved as setup files, disabled until the trader enables
 * them. `/lab runs` lists the stored runs.
 */
import { InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.ts';
import { html, type FeatureDeps } from '../feature.ts';
import type { Language } from '../services.ts';
import type { LabCandidateSummary, LabProgress, LabService } from '../../engine/lab/service-types.ts';
import type { LabMode } from '../../engine/lab/agents.ts';
import type { StoredLabRun } from '../../engine/lab/store.ts';
import type { MarketKey } from '../../engine/types.ts';
import { feeText, type SimulationTerms } from '../../engine/backtest/service/terms.ts';
import { escapeHtml } from '../format/html.ts';
import { formatDateTime } from '../format/time.ts';
import { localizeEngineLines, localizeEngineText, translator, type Translate } from '../i18n/index.ts';
import { startProgress } from '../progress.ts';
import { TEXT_LIMIT, truncateHtml } from '../render/telegram-text.ts';
import type { BacktestJob, BacktestJobs } from '../backtest/jobs.ts';
import { marketMask, marketToggles, parseMask, selectedMarkets } from './markets.ts';

const MODES: LabMode[] = ['single', 'ensemble', 'sequential', 'specialized'];
const COUNTS = [1, 2, 3, 5] as const;
const GRADE_KEYS: Record<string, true> = { excellent: true, good: true, acceptable: true, poor: true, 'insufficient data': true };

interface Choice {
  mask: bigint;
  n: number;
  mode: number;
}

const data = (kind: string, c: Choice) => `lb:${kind}:${marketMask(c.mask)}:${c.n}:${c.mode}`;

function chooserKeyboard(t: Translate, markets: MarketKey[], c: Choice): InlineKeyboard {
  const keyboard = marketToggles(markets, c.mask, (mask) => data('c', { ...c, mask })).row();
  for (const n of COUNTS) keyboard.text(`${n === c.n ? '• ' : ''}${t('lab.perModel', { n })}`, data('c', { ...c, n }));
  keyboard.row();
  MODES.forEach((mode, i) => keyboard.text(`${i === c.mode ? '• ' : ''}${mode}`, data('c', { ...c, mode: i })));
  return keyboard.row().text(t('lab.start', { n: c.n, markets: selectedMarkets(markets, c.mask).length }), data('go', c)).row().text(t('common.cancel'), 'lb:q');
}

const num = (v: number | undefined, digits = 2) => (v === undefined || !Number.isFinite(v) ? (v === Infinity ? '∞' : 'n/a') : v.toFixed(digits));
const pct = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? 'n/a' : `${v > 0 ? '+' : ''}${v.toFixed(2)} %`);

export function stageText(t: Translate, p: LabProgress): string {
  const vars = { done: p.done, total: p.total, candidate: escapeHtml(p.candidate ?? '') };
  if (p.stage === 'optimize') return t('lab.stage.optimize', vars);
  if (p.stage === 'walk-forward') return t('lab.stage.walkForward', vars);
  if (p.stage === 'evaluate') return t('lab.stage.evaluate', vars);
  return t('lab.stage.propose', vars);
}

function candidateLines(t: Translate, c: LabCandidateSummary, language: Language): string[] {
  if (c.error || !c.grade) return [t('lab.candidateError', { id: escapeHtml(c.id), error: escapeHtml(c.error ?? 'no statistics') })];
  const lines = [
    t('lab.candidate', {
      mark: c.survived ? '✅' : '✗', id: escapeHtml(c.id), grade: c.grade in GRADE_KEYS ? t(`lab.grade.${c.grade}` as 'lab.grade.good') : escapeHtml(c.grade), agents: escapeHtml(c.agents.join(', ')), agreement: Math.round(c.agreement * 100),
      trades: c.trades ?? 0, ret: pct(c.returnPct), sharpe: num(c.sharpe), pf: num(c.profitFactor), dd: pct(c.maxDrawdownPct),
    }),
  ];
  const words = localizeEngineLines([...c.strengths, ...c.weaknesses], language);
  words.forEach((w, i) => lines.push(`   ${i < c.strengths.length ? '+' : '−'} ${escapeHtml(w)}`));
  if (c.file) lines.push(t('lab.saved', { file: escapeHtml(c.file.split(/[\\/]/).pop() ?? c.file), id: escapeHtml(c.id) }));
  return lines;
}

/** The settings every candidate is judged under, as /backtest prints them (the same builder makes both). */
export function termsText(t: Translate, terms: SimulationTerms): string {
  return t('lab.terms', {
    account: terms.account, leverage: terms.leverage, equity: terms.equity.toLocaleString('en-US'), fee: feeText(terms), slippage: terms.slippageBps,
    risk: typeof terms.risk === 'number' ? t('lab.terms.risk', { risk: terms.risk }) : t('lab.terms.sizing', { sizing: terms.risk }),
    policy: terms.minScore === undefined ? t('lab.terms.noPolicy') : t('lab.terms.policy', { minScore: terms.minScore, maxCostR: terms.maxCostR ?? 0 }),
    governor: t(terms.governor ? 'lab.terms.on' : 'lab.terms.off'),
  });
}

export function labResultHtml(t: Translate, run: StoredLabRun & { candidates: LabCandidateSummary[] }, language: Language): string {
  const lines = [t('lab.done', { mode: escapeHtml(run.mode), candidates: run.candidates.length, saved: run.saved.length, cost: run.costUsd.toFixed(4) })];
  for (const tr of run.transcripts as { agent: string; valid: number; rejected: string[]; error?: string }[]) {
    lines.push(escapeHtml(tr.error ? t('lab.agentFailed', { agent: tr.agent, error: localizeEngineText(tr.error, language) }) : t('lab.agent', { agent: tr.agent, valid: tr.valid, rejected: tr.rejected.length })));
    for (const why of tr.rejected) lines.push(escapeHtml(t('lab.rejected', { why: why.slice(0, 200) })));
  }
  lines.push('');
  for (const c of run.candidates) lines.push(...candidateLines(t, c, language));
  const brief = run.brief as { trials?: number; deflatedSharpe?: number };
  if (brief.trials) lines.push('', escapeHtml(t('lab.trials', { trials: brief.trials, dsr: num((brief.deflatedSharpe ?? NaN) * 100, 1) })));
  const simulation = (run.brief as { simulation?: SimulationTerms }).simulation;
  if (simulation) lines.push(escapeHtml(termsText(t, simulation)));
  return truncateHtml(lines.join('\n'), TEXT_LIMIT);
}

export function installLab(deps: FeatureDeps, jobs: BacktestJobs): void {
  const { registry, services, handlers } = deps;
  const labOf = () => services.lab?.lab;

  deps.pages.register('labruns', {
    async load(ctx) {
      const lab = labOf();
      if (!lab) return undefined;
      const settings = await deps.settingsOf(ctx);
      const items = (await lab.runs(50)).map((r) => escapeHtml(ctx.t('lab.runLine', {
        time: formatDateTime(r.startedAt, settings.timezone), status: r.status, mode: r.mode, models: r.models.join(', '),
        candidates: r.candidates.length, saved: r.saved.length, cost: r.costUsd.toFixed(4),
      })));
      return { header: ctx.t('lab.runsTitle'), items };
    },
  });

  const showChooser = async (ctx: BotContext, lab: LabService) => {
    const missing = lab.unavailable();
    if (missing) return ctx.reply(ctx.t('lab.needsLlm', { vars: escapeHtml(missing) }), html);
    const markets = await lab.markets();
    if (markets.length === 0) return ctx.reply(ctx.t('lab.noMarkets'));
    const budget = await lab.budget();
    const choice: Choice = { mask: 1n, n: 3, mode: Math.max(0, MODES.indexOf(lab.mode())) };
    const text = ctx.t('lab.choose', {
      mode: lab.mode(), models: escapeHtml(lab.models().join(', ')),
      budget: budget ? ctx.t('lab.budget', { spent: budget.spentUsd.toFixed(4), budget: budget.budgetUsd.toFixed(2) }) : '',
    }) + escapeHtml(termsText(ctx.t, lab.terms()));
    await ctx.reply(text, { ...html, reply_markup: chooserKeyboard(ctx.t, markets, choice) });
  };

  registry.register({
    name: 'lab',
    description: { en: 'Strategy lab: LLM-proposed setups tested out of sample (/lab runs: past runs)', ru: 'Лаборатория: сетапы от LLM, проверенные вне выборки (/lab runs — прошлые прогоны)' },
    async handler(ctx, args) {
      const lab = labOf();
      if (!lab) return ctx.reply(ctx.t('error.notConfigured', { feature: 'lab' }));
      if (args.trim() === 'runs') {
        if ((await lab.runs(1)).length === 0) return ctx.reply(ctx.t('lab.noRuns'));
        return deps.pages.reply(ctx, 'labruns');
      }
      await showChooser(ctx, lab);
    },
  });

  const parse = async (match: string | RegExpMatchArray, lab: LabService) => {
    if (typeof match === 'string') return undefined;
    const markets = await lab.markets();
    const mask = parseMask(match[1], markets.length);
    const n = Number(match[2]);
    const mode = Number(match[3]);
    if (mask === undefined || !(COUNTS as readonly number[]).includes(n) || !(mode >= 0 && mode < MODES.length)) return undefined;
    return { markets, choice: { mask, n, mode } };
  };

  handlers.callbackQuery(/^lb:c:([0-9a-z]{1,12}):(\d{1,2}):(\d)$/, async (ctx) => {
    const lab = labOf();
    const parsed = lab && (await parse(ctx.match, lab));
    if (!parsed) return ctx.answerCallbackQuery({ text: ctx.t('signal.badButton') });
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: chooserKeyboard(ctx.t, parsed.markets, parsed.choice) });
  });

  handlers.callbackQuery(/^lb:go:([0-9a-z]{1,12}):(\d{1,2}):(\d)$/, async (ctx) => {
    const lab = labOf();
    const parsed = lab && (await parse(ctx.match, lab));
    if (!lab || !parsed) return ctx.answerCallbackQuery({ text: ctx.t('signal.badButton') });
    const chosen = selectedMarkets(parsed.markets, parsed.choice.mask);
    if (chosen.length === 0) return ctx.answerCallbackQuery({ text: ctx.t('lab.pickMarket') });
    const job = jobs.begin(ctx.chat!.id);
    if (!job) return ctx.answerCallbackQuery({ text: ctx.t('lab.alreadyRunning') });
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    launchLab(deps, jobs, job, lab, { markets: chosen, n: parsed.choice.n, mode: MODES[parsed.choice.mode] }, ctx.lang);
  });

  handlers.callbackQuery('lb:q', async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t('common.cancelled'));
  });
  handlers.callbackQuery(/^lb:x:([a-z0-9]{1,20})$/, async (ctx) => {
    const cancelled = jobs.cancel(ctx.match[1], ctx.chat!.id);
    await ctx.answerCallbackQuery({ text: ctx.t(cancelled ? 'lab.cancelling' : 'lab.notRunning') });
  });
  handlers.callbackQuery(/^lb:/, (ctx) => ctx.answerCallbackQuery({ text: ctx.t('signal.badButton') }));
}

function launchLab(deps: FeatureDeps, jobs: BacktestJobs, job: BacktestJob, lab: LabService, request: { markets: MarketKey[]; n: number; mode: LabMode }, language: Language): void {
  const t = translator(language);
  deps.detached({ chatId: job.chatId, language }, 'lab run', async () => {
    try {
      const keyboard = new InlineKeyboard().text(t('common.cancel'), `lb:x:${job.id}`);
      const running = (p: LabProgress) => t('lab.running', { mode: request.mode, stage: stageText(t, p) });
      const progress = await startProgress(deps.api(), job.chatId, running({ stage: 'propose', done: 0, total: 1 }), { keyboard, intervalMs: deps.progressIntervalMs });
      try {
        const run = await lab.run(request, (p) => progress.update(running(p)), job.signal, 'bot');
        await progress.finish(labResultHtml(t, run, language));
      } catch (error) {
        if (job.signal.aborted) return progress.finish(t('lab.cancelled'));
        deps.logger.error('lab run failed', { chatId: job.chatId, error: error instanceof Error ? error.message : String(error) });
        await progress.finish(t('lab.failed', { error: escapeHtml(localizeEngineText(error instanceof Error ? error.message : String(error), language)) }));
      }
    } finally {
      jobs.end(job.id);
    }
  });
}
