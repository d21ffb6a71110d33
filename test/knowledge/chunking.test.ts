import { describe, expect, it } from 'vitest';
import { chunkSections, chunkText } from '../../src/knowledge/chunking.ts';

const sentence = (i: number): string => `Sentence number ${i} talks about risk and stops in some detail here.`;

describe('chunking', () => {
  it('a short section is one chunk with its heading and page', () => {
    expect(chunkSections([{ heading: 'A > B', text: 'One. Two.' }, { page: 3, text: 'Three.' }])).toEqual([
      { ordinal: 0, heading: 'A > B', page: undefined, text: 'One. Two.' },
      { ordinal: 1, heading: undefined, page: 3, text: 'Three.' },
    ]);
  });

  it('long text splits on sentence boundaries, within the size bounds, with one sentence of overlap', () => {
    const text = Array.from({ length: 40 }, (_, i) => sentence(i)).join(' ');
    const chunks = chunkText(text, 300, 500);
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(500);
      expect(c).toMatch(/^Sentence number \d+ .*here\.$/);
    }
    // The last sentence of a chunk opens the next one.
    const lastOfFirst = chunks[0].match(/Sentence number (\d+)[^.]*\.$/)![1];
    expect(chunks[1].startsWith(`Sentence number ${lastOfFirst} `)).toBe(true);
    // Every sentence survives.
    for (let i = 0; i < 40; i++) expect(chunks.some((c) => c.includes(`number ${i} `))).toBe(true);
  });

  it('a "sentence" longer than the maximum (a table row, a URL) is cut at words, then hard', () => {
    const chunks = chunkText(`${'word '.repeat(300)}${'x'.repeat(1200)}`, 300, 500);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(500);
    expect(chunks.join('').replace(/\s/g, '')).toContain('x'.repeat(500));
  });

  it('paragraph breaks end sentences even without punctuation (the second chunk opens with the overlap)', () => {
    expect(chunkText('Heading-like line\n\nSecond paragraph', 10, 100)).toEqual(['Heading-like line', 'Heading-like line Second paragraph']);
  });
});

describe('what is not a passage', () => {
  it('a table of contents (dot leaders or numbered titles with page numbers) is dropped whole', async () => {
    const { stripNavigation } = await import('../../src/knowledge/ingest/navigation.ts');
    const toc = 'Содержание\n1 Введение 4\n1.1 Обзор предметной области . . . . . . . . 4\n3.1 Стационарность . . . . . . . . 8\n4 Вычислительный эксперимент 11\n3';
    expect(stripNavigation(toc)).toBe('');
    const prose = 'Stops go below the swing low.\nLIST OF TABLES ........................ xi\nBack to top\nSize from the stop distance.';
    expect(stripNavigation(prose)).toBe('Stops go below the swing low.\nSize from the stop distance.');
  });

  it('a numbered rule that happens to end in a number is prose, not contents', async () => {
    const { stripNavigation } = await import('../../src/knowledge/ingest/navigation.ts');
    const rules = '1. Risk per trade is at most 1\n2. Close the day after losses of 3\nThe rest of the plan explains why these limits exist and how they were chosen over many months.';
    expect(stripNavigation(rules)).toBe(rules);
  });

  it('a Markdown paragraph opening with a bold defined term becomes a sub-section named after it', async () => {
    const { extractMarkdown } = await import('../../src/knowledge/ingest/markdown.ts');
    const md = '## Примеры\n\n**Индекс относительной силы** (RSI) – популярный осциллятор, используемый для оценки силы тенденции.\n\nRSI = 100 – 100 / (RS + 1).\n\n**Author**: someone';
    expect(extractMarkdown(md).map((s) => s.heading)).toEqual(['Примеры > Индекс относительной силы']);
  });
});
