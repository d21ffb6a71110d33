/**
 * The lab's multi-model modes over two local OpenAI-compatible servers through the real router: who is asked what,
 * and whose proposals reach the consensus.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLlmLayer, type LlmRouter } from '../../../src/knowledge/llm/index.ts';
import { labAgents } from '../../../src/engine/lab/agents.ts';
import { runLab } from '../../../src/engine/lab/run-lab.ts';
import type { BacktestStatistics } from '../../../src/engine/backtest/metrics.ts';
import { startOpenAiFake, type OpenAiFake } from '../../helpers/openai-fake.ts';

const setup = (id: string, rsi: number) => ({
  id,
  name: id,
  description: 'RSI bounce.',
  rationale: 'Oversold bounces.',
  timeframe: '1d',
  indicators: { rsi: 'rsi:14', atr: 'atr:14' },
  rules: { long: { crosses_above: ['rsi', rsi] } },
  stop: { type: 'atr', mult: 2 },
  targets: [{ r: 2 }],
});
const reply = (...setups: object[]) => ({ content: JSON.stringify({ proposals: setups.map((s) => ({ setup: s })) }) });
const bodyOf = (fake: OpenAiFake, i: number) => JSON.stringify(fake.requests[i].body.messages);
/** No backtest here: the modes decide who proposes, the evaluation is the other tests' business. */
const stats = { trades: 0, sharpe: NaN, maxDrawdownPct: 0, winRatePct: NaN, profitFactorQuote: NaN, calmar: NaN } as unknown as BacktestStatistics;

describe('lab modes', () => {
  let alpha: OpenAiFake;
  let beta: OpenAiFake;
  let dir: string;
  let router: LlmRouter;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ita-lab-modes-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    await alpha.close();
    await beta.close();
  });
  const start = async () => {
    alpha = await startOpenAiFake();
    beta = await startOpenAiFake();
    router = createLlmLayer({
      mode: 'single',
      providers: [alpha, beta].map((f, i) => ({ name: i ? 'beta' : 'alpha', kind: 'openai' as const, baseUrl: f.baseUrl, model: 'm', apiKey: 'k', timeoutMs: 5000, inputPricePerMTok: 0, outputPricePerMTok: 0 })),
      dailyBudgetUsd: 1,
      commentBudgetMs: 1000,
    })!;
  };
  const run = (mode: Parameters<typeof labAgents>[1]) => {
    const { agents, flow } = labAgents(router, mode);
    return runLab({ agents, flow, brief: { n: 1, markets: ['GOOG'], timeframes: ['1d'] }, setupsDir: dir, evaluate: async () => stats });
  };

  it('single asks the first provider only (the router falls back when it fails)', async () => {
    await start();
    alpha.script({ status: 500 }, { status: 500 }, { status: 500 });
    beta.script(reply(setup('from_beta', 30)));
    const result = await run('single');
    expect(result.transcripts.map((t) => t.agent)).toEqual(['alpha']);
    expect(result.candidates.map((c) => c.candidate.setup.id)).toEqual(['from_beta']);
    expect(beta.requests).toHaveLength(1);
  });

  it('ensemble: both propose on their own and the consensus merges them', async () => {
    await start();
    alpha.script(reply(setup('a_idea', 30)));
    beta.script(reply(setup('b_idea', 25)));
    const result = await run('ensemble');
    expect(result.candidates.map((c) => c.candidate.setup.id).sort()).toEqual(['a_idea', 'b_idea']);
    expect(bodyOf(beta, 0)).not.toContain('a_idea');
  });

  it('sequential: the second model reviews the first one\'s proposals and its revision is what gets tested', async () => {
    await start();
    alpha.script(reply(setup('first_draft', 30)));
    beta.script(reply(setup('revised', 35)));
    const result = await run('sequential');
    expect(bodyOf(beta, 0)).toContain('Another analyst proposed these setups');
    expect(bodyOf(beta, 0)).toContain('first_draft');
    expect(result.candidates.map((c) => c.candidate.setup.id)).toEqual(['revised']);
    expect(result.transcripts.map((t) => t.agent)).toEqual(['alpha', 'beta']);
  });

  it('specialized: an analyst and a risk manager, each on its own provider, side by side', async () => {
    await start();
    alpha.script(reply(setup('entries', 30)));
    beta.script(reply(setup('risk_first', 20)));
    const result = await run('specialized');
    expect(bodyOf(alpha, 0)).toContain('market-structure analyst');
    expect(bodyOf(beta, 0)).toContain('risk manager');
    expect(result.transcripts.map((t) => t.agent)).toEqual(['alpha (analyst)', 'beta (risk manager)']);
    expect(result.candidates.map((c) => c.candidate.setup.id).sort()).toEqual(['entries', 'risk_first']);
  });
});
