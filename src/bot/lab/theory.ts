/**
 * Theory → setup → evidence in the chat. Under an /ask answer: one "Test this" button per cited passage (at most 3)
 * and, beside the citations, the verdicts of passages already tested. A press drafts a setup from the passage (LLM,
 * validated, re-asked once), shows it as YAML with its rationale and the stored markets as toggles; Run backtests it
 * walk-forward on the chosen markets and records the verdict. /theory lists the tested claims with their evidence.
 * Buttons carry only ids and a bitmask of the chosen markets (validated again when they come back).
 */
import { InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.ts';
import { html, type FeatureDeps } from '../feature.ts';
import type { CitedPassage, Language } from '../services.ts';
import type { TheoryService } from '../../engine/lab/service-types.ts';
import type { TheoryTest } from '../../engine/lab/store.ts';
import type { TheoryEvidence } from '../../engine/lab/theory/evidence.ts';
import { THEORY_MIN_TRADES } from '../../engine/lab/theory/verdict.ts';
import type { MarketKey } from '../../engine/types.ts';
import { escapeHtml, truncate } from '../format/html.ts';
import { localizeEngineText, translator, type Translate } from '../i18n/index.ts';
import { startProgress } from '../progress.ts';
import { TEXT_LIMIT, telegramLength, truncateHtml } from '../render/telegram-text.ts';
import type { BacktestJob, BacktestJobs } from '../backtest/jobs.ts';
import { marketMask, marketToggles, parseMask, selectedMarkets } from './markets.ts';

const MAX_TEST_BUTTONS = 3;

export function sourceLabel(p: { document: string; page?: number; heading?: string }): string {
  if (p.page !== undefined) return `[${p.document}, p. ${p.page}]`;
  return p.heading ? `[${p.document}, ${p.heading}]` : `[${p.document}]`;
}

const signed = (v: number | undefined, digits = 2) => (v === undefined || !Number.isFinite(v) ? 'n/a' : `${v > 0 ? '+' : ''}${v.toFixed(digits)}`);
const pct = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? 'n/a' : `${v.toFixed(1)} %`);

/** The verdict lines and "Test this" buttons that go under an /ask answer. */
export async function theoryUnderAnswer(theory: TheoryService | undefined, passages: CitedPassage[], answerHtml: string, t: Translate): Promise<{ html: string; keyboard?: InlineKeyboard }> {
  if (!theory || passages.length === 0) return { html: answerHtml };
  await theory.remember(passages);
  const verdicts = await theory.verdicts(passages.map((p) => p.chunkId));
  const beside = passages
    .filter((p) => verdicts.has(p.chunkId))
    .map((p) => {
      const v = verdicts.get(p.chunkId)!;
      const e = (v.evidence as TheoryEvidence | undefined)?.expectancyR;
      return escapeHtml(t('theory.beside', { source: sourceLabel(p), verdict: t(`theory.verdict.${v.verdict}` as 'theory.verdict.supported'), trades: v.trades ?? 0, e: signed(e) }));
    });
  const tail = beside.length ? `\n\n<i>${beside.join('\n')}</i>` : '';
  const body = telegramLength(answerHtml + tail) <= TEXT_LIMIT ? answerHtml : truncateHtml(answerHtml, TEXT_LIMIT - telegramLength(tail) - 2);
  const keyboard = new InlineKeyboard();
  const seen = new Set<number>();
  for (const p of passages) {
    if (seen.has(p.chunkId) || seen.size >= MAX_TEST_BUTTONS) continue;
    seen.add(p.chunkId);
    keyboard.text(truncate(t('theory.button', { source: sourceLabel(p) }), 60), `th:t:${p.chunkId}`).row();
  }
  return { html: body + tail, keyboard };
}

function draftHtml(t: Translate, draft: TheoryTest): string {
  const source = escapeHtml(sourceLabel(draft.passage));
  const frame = (yaml: string) => t('theory.draft', { source, rationale: escapeHtml(draft.rationale), yaml: escapeHtml(yaml) });
  const room = TEXT_LIMIT - telegramLength(frame(''));
  // A long setup is cut inside its <pre>, never the instructions around it.
  return frame(draft.setupYaml.length <= room ? draft.setupYaml : `${draft.setupYaml.slice(0, Math.max(0, room - 2))}\n…`);
}

export function verdictHtml(t: Translate, test: TheoryTest & { evidence: TheoryEvidence }): string {
  const e = test.evidence;
  const lines = [
    t('theory.result', {
      verdict: t(`theory.verdict.${e.verdict}` as 'theory.verdict.supported'),
      claim: escapeHtml(truncate(test.claim.replace(/\s+/g, ' '), 200)),
      source: escapeHtml(sourceLabel(test.passage)),
      setup: escapeHtml(test.setupId),
      trades: e.trades, e: signed(e.expectancyR), lo: signed(e.ciLowR), hi: signed(e.ciHighR), win: pct(e.winRatePct),
      reason: t(`theory.reason.${e.reason}` as 'theory.reason.too-few-trades', { min: THEORY_MIN_TRADES }),
    }),
    ...e.markets.flatMap((m) => {
      const refused = Object.entries(m.refused ?? {}).map(([rule, n]) => `${rule} ×${n}`).join(', ');
      const line = escapeHtml(t('theory.market', { market: m.market, trades: m.trades, e: signed(m.expectancyR), pos: m.positiveWindows, windows: m.windows, method: m.method }));
      return refused ? [line, escapeHtml(t('theory.refused', { list: refused }))] : [line];
    }),
    `<i>${escapeHtml(t('theory.costs', { fee: (e.fees.taker * 100).toFixed(2), slip: e.slippageBps, train: e.trainDays, test: e.testDays }))}</i>`,
  ];
  return truncateHtml(lines.join('\n'), TEXT_LIMIT);
}

export function installTheory(deps: FeatureDeps, jobs: BacktestJobs): void {
  const { registry, services, handlers } = deps;
  const theoryOf = () => services.lab?.theory;

  deps.pages.register('theory', {
    async load(ctx) {
      const theory = theoryOf();
      if (!theory) return undefined;
      const tests = await theory.list(100);
      const items = tests.map((test) => {
        const e = test.evidence as TheoryEvidence;
        return escapeHtml(ctx.t('theory.line', {
          verdict: ctx.t(`theory.verdict.${test.verdict}` as 'theory.verdict.supported'), source: sourceLabel(test.passage), setup: test.setupId,
          claim: truncate(test.claim.replace(/\s+/g, ' '), 140), trades: test.trades ?? 0, e: signed(e?.expectancyR), lo: signed(e?.ciLowR), hi: signed(e?.ciHighR),
          markets: (test.markets ?? []).join(', '),
        }));
      });
      return { header: ctx.t('theory.title'), items };
    },
  });

  registry.register({
    name: 'theory',
    description: { en: 'Claims from your documents tested on history, with their evidence', ru: 'Утверждения из ваших документов, проверенные на истории' },
    async handler(ctx) {
      const theory = theoryOf();
      if (!theory) return ctx.reply(ctx.t('error.notConfigured', { feature: 'lab' }));
      if ((await theory.list(1)).length === 0) return ctx.reply(ctx.t('theory.empty'));
      await deps.pages.reply(ctx, 'theory');
    },
  });

  handlers.callbackQuery(/^th:t:(\d{1,12})$/, async (ctx) => {
    const theory = theoryOf();
    if (!theory) return ctx.answerCallbackQuery({ text: ctx.t('signal.badButton') });
    const missing = theory.unavailable();
    if (missing) {
      await ctx.answerCallbackQuery();
      return ctx.reply(ctx.t('theory.needsLlm', { vars: escapeHtml(missing) }), html);
    }
    await ctx.answerCallbackQuery();
    const chatId = ctx.chat!.id;
    const t = ctx.t;
    const chunkId = Number(ctx.match[1]);
    const button = ctx.callbackQuery.message?.reply_markup?.inline_keyboard.flat().find((b) => 'callback_data' in b && b.callback_data === ctx.callbackQuery.data);
    const source = escapeHtml(button?.text.replace(/^🧪[^:]*:\s*/, '') ?? `#${chunkId}`);
    const progress = await startProgress(deps.api(), chatId, t('theory.drafting', { source }), { intervalMs: deps.progressIntervalMs });
    deps.detached({ chatId, language: ctx.lang }, 'theory draft', async () => {
      let draft: TheoryTest;
      try {
        draft = await theory.draft(chunkId);
      } catch (error) {
        return progress.finish(t('theory.draftFailed', { source, error: escapeHtml(localizeEngineText(error instanceof Error ? error.message : String(error), ctx.lang)) }));
      }
      const markets = await theory.marketsFor(draft.id);
      if (markets.length === 0) return progress.finish(`${draftHtml(t, draft)}\n${t('theory.noMarkets', { timeframe: '' })}`);
      await progress.finish(draftHtml(t, draft), draftKeyboard(t, draft.id, markets, 0n));
    });
  });

  handlers.callbackQuery(/^th:m:(\d{1,12}):([0-9a-z]{1,12})$/, async (ctx) => {
    const theory = theoryOf();
    if (!theory) return ctx.answerCallbackQuery({ text: ctx.t('signal.badButton') });
    const markets = await theory.marketsFor(Number(ctx.match[1]));
    const mask = parseMask(ctx.match[2], markets.length);
    if (mask === undefined) return ctx.answerCallbackQuery({ text: ctx.t('signal.badButton') });
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: draftKeyboard(ctx.t, Number(ctx.match[1]), markets, mask) });
  });

  handlers.callbackQuery(/^th:r:(\d{1,12}):([0-9a-z]{1,12})$/, async (ctx) => {
    const theory = theoryOf();
    if (!theory) return ctx.answerCallbackQuery({ text: ctx.t('signal.badButton') });
    const draftId = Number(ctx.match[1]);
    const [draft, markets] = [await theory.get(draftId), await theory.marketsFor(draftId)];
    const mask = parseMask(ctx.match[2], markets.length);
    if (!draft || mask === undefined) return ctx.answerCallbackQuery({ text: ctx.t('signal.badButton') });
    const chosen = selectedMarkets(markets, mask);
    if (chosen.length === 0) return ctx.answerCallbackQuery({ text: ctx.t('lab.pickMarket') });
    const job = jobs.begin(ctx.chat!.id);
    if (!job) return ctx.answerCallbackQuery({ text: ctx.t('lab.alreadyRunning') });
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    launchTest(deps, jobs, job, theory, draft, chosen, ctx.lang);
  });

  handlers.callbackQuery(/^th:x:([a-z0-9]{1,20})$/, async (ctx) => {
    const cancelled = jobs.cancel(ctx.match[1], ctx.chat!.id);
    await ctx.answerCallbackQuery({ text: ctx.t(cancelled ? 'lab.cancelling' : 'lab.notRunning') });
  });
  handlers.callbackQuery(/^th:/, (ctx) => ctx.answerCallbackQuery({ text: ctx.t('signal.badButton') }));
}

function draftKeyboard(t: Translate, draftId: number, markets: MarketKey[], mask: bigint): InlineKeyboard {
  const keyboard = marketToggles(markets, mask, (next) => `th:m:${draftId}:${marketMask(next)}`);
  const count = selectedMarkets(markets, mask).length;
  return keyboard.row().text(t('theory.run', { count }), `th:r:${draftId}:${marketMask(mask)}`);
}

function launchTest(deps: FeatureDeps, jobs: BacktestJobs, job: BacktestJob, theory: TheoryService, draft: TheoryTest, markets: MarketKey[], language: Language): void {
  const t = translator(language);
  const names = { setup: escapeHtml(draft.setupId), source: escapeHtml(sourceLabel(draft.passage)) };
  deps.detached({ chatId: job.chatId, language }, 'theory test', async () => {
    const keyboard = new InlineKeyboard().text(t('common.cancel'), `th:x:${job.id}`);
    try {
      const progress = await startProgress(deps.api(), job.chatId, t('theory.testing', { ...names, done: 0, total: markets.length }), { keyboard, intervalMs: deps.progressIntervalMs });
      try {
        const result = await theory.test(draft.id, markets, (p) => progress.update(t('theory.testing', { ...names, done: p.done, total: p.total })), job.signal);
        await progress.finish(verdictHtml(t, result));
      } catch (error) {
        if (job.signal.aborted) return progress.finish(t('theory.cancelled'));
        await progress.finish(t('theory.failed', { error: escapeHtml(localizeEngineText(error instanceof Error ? error.message : String(error), language)) }));
      }
    } finally {
      jobs.end(job.id);
    }
  });
}
