import { describe, expect, it } from 'vitest';
import { HumanMessage } from '@langchain/core/messages';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { z } from 'zod';
import {
  LlmOutputError,
  completeStructured,
  createLlmRouter,
  createMemoryUsageLedger,
  parseStructured,
  repairJson,
  runEnsemble,
  runSequential,
  runSpecialized,
} from '../../../src/knowledge/llm/index.ts';

function fakeRouter(models: Record<string, string[]>) {
  const ledger = createMemoryUsageLedger();
  const chats = Object.fromEntries(Object.entries(models).map(([name, responses]) => [name, new FakeListChatModel({ responses })]));
  const router = createLlmRouter({
    providers: Object.entries(chats).map(([name, chat]) => ({ name, model: `${name}-m`, chat, timeoutMs: 1000, inputPricePerMTok: 0, outputPricePerMTok: 0 })),
    ledger,
    dailyBudgetUsd: 1,
    sleep: async () => {},
  });
  return { router, ledger };
}

const verdict = z.object({ side: z.enum(['long', 'short']), confidence: z.number().min(0).max(1) });
const ask = [new HumanMessage('Which side?')];

describe('repairJson', () => {
  it('strips code fences and the prose around the JSON', () => {
    expect(repairJson('Sure! Here it is:\n```json\n{"a": 1}\n```\nHope that helps.')).toBe('{"a": 1}');
    expect(repairJson('The answer is {"a": [1, 2]} as requested.')).toBe('{"a": [1, 2]}');
  });
  it('removes trailing commas but not commas inside strings', () => {
    expect(repairJson('{"a": [1, 2,], "b": "x,}",}')).toBe('{"a": [1, 2], "b": "x,}"}');
  });
  it('keeps braces that are inside strings', () => {
    expect(repairJson('{"text": "a } b", "n": 1} trailing')).toBe('{"text": "a } b", "n": 1}');
  });
  it('returns undefined when there is no JSON at all', () => {
    expect(repairJson('I cannot answer that.')).toBeUndefined();
  });
});

describe('parseStructured', () => {
  it('validates with zod and never returns an unvalidated value', () => {
    expect(parseStructured('{"side": "long", "confidence": 0.7}', verdict)).toEqual({ ok: true, value: { side: 'long', confidence: 0.7 } });
    const bad = parseStructured('{"side": "up", "confidence": 0.7}', verdict);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toContain('side');
  });
});

describe('completeStructured', () => {
  it('repairs a fenced reply with a trailing comma without re-asking', async () => {
    const { router, ledger } = fakeRouter({ a: ['```json\n{"side": "short", "confidence": 0.4,}\n```'] });
    const result = await completeStructured(router, ask, verdict, { purpose: 'verdict' });
    expect(result).toMatchObject({ value: { side: 'short', confidence: 0.4 }, attempts: 1 });
    expect(ledger.rows).toHaveLength(1);
  });

  it('re-asks once, quoting the problem, when the reply does not validate', async () => {
    const { router, ledger } = fakeRouter({ a: ['{"side": "sideways"}', '{"side": "long", "confidence": 0.9}'] });
    const result = await completeStructured(router, ask, verdict, { purpose: 'verdict' });
    expect(result).toMatchObject({ value: { side: 'long', confidence: 0.9 }, attempts: 2 });
    expect(ledger.rows.map((r) => r.purpose)).toEqual(['verdict', 'verdict:reask']);
  });

  it('gives up with LlmOutputError after the one re-ask', async () => {
    const { router } = fakeRouter({ a: ['no json here', 'still none'] });
    await expect(completeStructured(router, ask, verdict, { purpose: 'verdict' })).rejects.toThrow(LlmOutputError);
  });
});

describe('multi-model modes', () => {
  it('ensemble: votes, picks the majority and reports the agreement share', async () => {
    const { router } = fakeRouter({
      a: ['{"side": "short", "confidence": 0.6}'],
      b: ['{"side": "long", "confidence": 0.8}'],
      c: ['{"side": "long", "confidence": 0.5}'],
      d: ['not json', 'still not json'],
    });
    const result = await runEnsemble(router, ask, verdict, (v) => v.side, { purpose: 'verdict' });
    expect(result.winnerKey).toBe('long');
    expect(result.winner).toEqual({ side: 'long', confidence: 0.8 });
    // 2 of the 3 valid answers agree; the broken member does not vote.
    expect(result.agreement).toBeCloseTo(2 / 3, 12);
    expect(result.votes.find((v) => v.provider === 'd')?.error).toContain('valid JSON');
  });

  it('sequential: the second model revises the first one\'s proposal', async () => {
    const { router } = fakeRouter({ a: ['draft answer'], b: ['revised answer'] });
    const seen: string[] = [];
    const result = await runSequential(router, ask, (draft) => (seen.push(draft), [new HumanMessage(`critique: ${draft}`)]), { purpose: 'answer' });
    expect(seen).toEqual(['draft answer']);
    expect(result).toMatchObject({ revised: true });
    expect(result.proposal.provider).toBe('a');
    expect(result.final).toMatchObject({ provider: 'b', text: 'revised answer' });
  });

  it('specialized: analyst and risk manager go to different models', async () => {
    const { router, ledger } = fakeRouter({ a: ['analysis'], b: ['risk view'] });
    const result = await runSpecialized(router, { analyst: ask, riskManager: ask }, { purpose: 'answer' });
    expect(result.analyst).toMatchObject({ provider: 'a', text: 'analysis' });
    expect(result.riskManager).toMatchObject({ provider: 'b', text: 'risk view' });
    expect(ledger.rows.map((r) => r.purpose).sort()).toEqual(['answer:analyst', 'answer:riskManager']);
  });
});
