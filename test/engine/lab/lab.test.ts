/**
 * The lab end to end against two local OpenAI-compatible servers driven through the real LLM router: scripted
 * proposals including an unusable answer (re-asked once), an invalid proposal (rejected with the validator's
 * words) and a duplicate (merged, agreement weighted by past results); each candidate is backtested on GOOG daily
 * through the one setup path, graded, and survivors are saved as disabled setup files.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlmLayer, type LlmRouter } from '../../../src/knowledge/llm/index.ts';
import { runLab, type LabAgent } from '../../../src/engine/lab/run-lab.ts';
import { agentWeight } from '../../../src/engine/lab/consensus.ts';
import { loadSetupFile } from '../../../src/engine/setups/index.ts';
import { DEFAULT_SIMULATION, runSetupBacktest, seriesForSetup } from '../../../src/engine/backtest/service/run-setup.ts';
import { startOpenAiFake, type OpenAiFake } from '../../helpers/openai-fake.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';

const goog = loadSampleCandles('nasdaq_GOOG_1d');

const smaCross = (id: string, name: string) => ({
  id,
  name,
  description: 'Long when SMA 10 crosses above SMA 30, short on the cross below.',
  rationale: 'Trend following baseline.',
  timeframe: '1d',
  indicators: { sma_fast: 'sma:10', sma_slow: 'sma:30', atr: 'atr:14' },
  rules: { long: { crosses_above: ['sma_fast', 'sma_slow'] }, short: { crosses_below: ['sma_fast', 'sma_slow'] } },
  stop: { type: 'atr', mult: 3 },
  targets: [{ r: 3 }],
  management: { exit_on_opposite: true },
});

const rsiRevert = {
  id: 'rsi_revert',
  name: 'RSI 30/70 reversion',
  description: 'Long when RSI(14) crosses back above 30.',
  rationale: 'Oversold bounces in an uptrending stock.',
  timeframe: '1d',
  indicators: { rsi: 'rsi:14', atr: 'atr:14' },
  rules: { long: { crosses_above: ['rsi', 30] } },
  stop: { type: 'atr', mult: 2 },
  targets: [{ r: 2 }],
};

/** Refers to an indicator it never declares: the validator must name it. */
const undeclared = { ...rsiRevert, id: 'broken_idea', rules: { long: { gt: ['close', 'ema50'] } } };

function agentOf(router: LlmRouter, name: string): LabAgent {
  return {
    name,
    async complete(prompt, history, purpose) {
      const messages = [...history.flatMap((t) => [new HumanMessage(t.prompt), new AIMessage(t.reply)]), new HumanMessage(prompt)];
      const reply = await router.complete(messages, { purpose, only: name });
      return { text: reply.text, costUsd: reply.costUsd };
    },
  };
}

describe('strategy lab', () => {
  let alpha: OpenAiFake;
  let beta: OpenAiFake;
  let dir: string;
  beforeAll(async () => {
    alpha = await startOpenAiFake();
    beta = await startOpenAiFake();
    dir = mkdtempSync(path.join(os.tmpdir(), 'ita-lab-'));
  });
  afterAll(async () => {
    await alpha.close();
    await beta.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('proposes, validates with one re-ask, merges duplicates, backtests, grades and saves survivors disabled', async () => {
    // alpha: fenced JSON with a trailing comma (repaired), two good setups and one broken → re-asked, still broken.
    alpha.script(
      { content: '```json\n' + JSON.stringify({ proposals: [{ setup: smaCross('trend_cross', 'SMA trend'), why: 'trend' }, { setup: rsiRevert }, { setup: undeclared }] }).replace(/\]\}$/, ',]}') + '\n```' },
      { content: JSON.stringify({ proposals: [{ setup: { ...undeclared, stop: { type: 'atr' } } }] }) },
    );
    // beta: prose without JSON → re-asked → the same trading content as alpha's first setup under another name.
    beta.script({ content: 'Sure! I would trade moving-average crossovers.' }, { content: JSON.stringify({ proposals: [{ setup: smaCross('golden_cross', 'Golden cross'), why: 'classic' }] }) });
    const router = createLlmLayer({
      mode: 'ensemble',
      providers: [alpha, beta].map((fake, i) => ({ name: i ? 'beta' : 'alpha', kind: 'openai' as const, baseUrl: fake.baseUrl, model: 'fake', apiKey: 'k', timeoutMs: 5000, inputPricePerMTok: 0, outputPricePerMTok: 0 })),
      dailyBudgetUsd: 1,
      commentBudgetMs: 4000,
    })!;
    const evaluated: string[] = [];
    const run = await runLab({
      agents: [agentOf(router, 'alpha'), agentOf(router, 'beta')],
      brief: { n: 3, markets: ['GOOG'], timeframes: ['1d'] },
      records: { alpha: { proposed: 8, survived: 6 } },
      setupsDir: dir,
      evaluate: async (setup) => {
        evaluated.push(setup.id);
        const report = runSetupBacktest({ setup, market: seriesForSetup(goog, '1d', setup, { exchange: 'nasdaq', symbol: 'GOOG' }), settings: DEFAULT_SIMULATION });
        // As if an optimizer had tried 6 parameter sets for the first candidate: all of them count as trials.
        return { ...report, trials: setup.id === 'trend_cross' ? 6 : undefined };
      },
      // GOOG daily is a short sample: keep what is graded at all, so saving is exercised on real results.
      survives: (grade) => grade.grade !== 'insufficient data',
    });

    // Validation and the re-ask.
    expect(beta.requests).toHaveLength(2);
    expect(JSON.stringify(beta.requests[1].body.messages)).toContain('the reply contains no JSON object');
    expect(alpha.requests).toHaveLength(2);
    expect(JSON.stringify(alpha.requests[1].body.messages)).toContain('proposal 3 (broken_idea)');
    const a = run.transcripts.find((t) => t.agent === 'alpha')!;
    expect(a.valid).toBe(2);
    expect(a.rejected).toHaveLength(1);
    expect(a.rejected[0]).toMatch(/^proposal 1 \(broken_idea\): stop/);
    expect(run.transcripts.find((t) => t.agent === 'beta')!.valid).toBe(1);

    // Consensus: the two SMA crosses are one candidate, voted by both (weights 0.7 and 0.5).
    expect(agentWeight({ proposed: 8, survived: 6 })).toBeCloseTo(0.7, 12);
    expect(run.candidates.map((c) => c.candidate.setup.id)).toEqual(['trend_cross', 'rsi_revert']);
    expect(run.candidates[0].candidate.agents).toEqual(['alpha', 'beta']);
    expect(run.candidates[0].candidate.agreement).toBeCloseTo(1, 12);
    expect(run.candidates[1].candidate.agreement).toBeCloseTo(0.7 / 1.2, 12);
    expect(evaluated).toEqual(['trend_cross', 'rsi_revert']);

    // Graded on the real backtest; survivors saved disabled, loadable as ordinary setups.
    for (const c of run.candidates) {
      expect(c.stats!.trades).toBeGreaterThan(0);
      expect(c.grade!.strengths.length + c.grade!.weaknesses.length).toBeGreaterThanOrEqual(5);
      expect(c.monteCarlo!.iterations).toBe(1000);
      expect(c.monteCarlo!.returnPct.p5).toBeLessThan(c.monteCarlo!.returnPct.p95);
    }
    expect(run.trialsCorrection!.trials).toBe(6 + 1);
    const saved = readdirSync(dir).sort();
    expect(saved).toEqual(run.saved.map((f) => path.basename(f)).sort());
    expect(saved.length).toBeGreaterThan(0);
    for (const name of saved) {
      const text = readFileSync(path.join(dir, name), 'utf8');
      expect(text).toMatch(/^# Proposed by the strategy lab \(/);
      const setup = loadSetupFile(path.join(dir, name));
      expect(setup.enabled).toBe(false);
    }
  }, 60_000);
});
