/**
 * Signal comments cite theory about the setup's concepts or none: over a real knowledge base, a London breakout is
 * commented with the London-session passage, never with an unrelated page that merely shares a word ("range",
 * "session") with it; with no theory on the setup's topic, the comment cites nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commentOnSignal, type SignalForComment } from '../../../src/knowledge/answer/index.ts';
import { theoryQuery } from '../../../src/knowledge/answer/comment.ts';
import { LocalHashEmbedder } from '../../../src/knowledge/embedding/local.ts';
import { openKnowledgeBase, type KnowledgeBase } from '../../../src/knowledge/index.ts';
import { makeTextPdf } from '../helpers/documents.ts';

const london: SignalForComment = {
  setupId: 'london_breakout',
  setupName: 'London session breakout of the Asia range',
  symbol: 'BTCUSDT',
  timeframe: '15m',
  side: 'long',
  entry: 64250,
  stop: 63900,
  targets: [64600],
  rr: 1,
  score: 6,
  reasons: { strengths: ['breakout on volume'], weaknesses: ['against the EMA 50 trend'] },
};

const enc = (s: string) => new TextEncoder().encode(s);

describe('signal comments cite theory about the setup', () => {
  let dir: string;
  let kb: KnowledgeBase;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ita-comment-topic-'));
    kb = await openKnowledgeBase({ dataDir: dir, dbFile: path.join(dir, 'kb.sqlite'), embedding: new LocalHashEmbedder(256) });
    // An unrelated thesis page that shares everyday words (range, volume, session) with the setup.
    await kb.ingestBuffer(
      'thesis.pdf',
      await makeTextPdf([
        ['Chapter 2. Data and methodology.'],
        ['The sample range covers 2018 to 2023. Daily volume data come from the exchange session reports.', 'Returns are computed net of fees.'],
      ]),
    );
  });
  afterEach(async () => {
    await kb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the theory query is the setup name and id words, not the signal strengths', () => {
    expect(theoryQuery(london)).toBe('London session breakout of the Asia range. london breakout');
    expect(theoryQuery({ setupId: 'fvg', setupName: 'FVG retest' })).toBe('FVG retest');
  });

  it('cites the London-session passage, not the thesis page', async () => {
    await kb.ingestBuffer(
      'sessions.md',
      enc('# Sessions\n\n## London session\n\nThe London open breaks the Asian range in the first hour; a close outside the range is the breakout, a wick back inside is a trap.\n'),
    );
    const comment = await commentOnSignal(london, { retriever: kb });
    expect(comment.citations.map((c) => c.document)).toEqual(['sessions.md']);
    expect(comment.text).toContain('Theory: [sessions.md, Sessions > London session].');
  });

  it('cites nothing when no document is about the setup', async () => {
    const comment = await commentOnSignal(london, { retriever: kb });
    expect(comment.citations).toEqual([]);
    expect(comment.text).not.toContain('Theory:');
  });
});
