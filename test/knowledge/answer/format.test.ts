import { describe, expect, it } from 'vitest';
import {
  TELEGRAM_MESSAGE_LIMIT,
  detectLanguage,
  escapeHtml,
  formatAnswerHtml,
  validateCitations,
  type AnswerResult,
} from '../../../src/knowledge/answer/index.ts';
import { passage } from './fakes.ts';

describe('detectLanguage', () => {
  it('goes by script, and Latin tickers inside a Russian question do not make it English', () => {
    expect(detectLanguage('What is a fair value gap?')).toBe('en');
    expect(detectLanguage('Что такое FVG на BTCUSDT 1h?')).toBe('ru');
    expect(detectLanguage('BOS и CHoCH')).toBe('ru');
    expect(detectLanguage('123 ?')).toBe('en');
  });
});

describe('validateCitations', () => {
  const ps = [
    passage('Теория SMC.pdf', 'text', 1, { page: 5 }),
    passage('Notes.md', 'text', 1, { heading: 'Entries > Confirmation' }),
  ];

  it('accepts Russian page markers and extension-less names, normalising them', () => {
    const checked = validateCitations('Вход после слома [Теория SMC, с. 5]. Подтверждение [notes.md, Confirmation].', ps);
    expect(checked.text).toBe('Вход после слома [Теория SMC.pdf, p. 5]. Подтверждение [Notes.md, Entries > Confirmation].');
    expect(checked.invalid).toEqual([]);
  });

  it('flags a wrong heading, an unknown document and an out-of-range number; leaves plain brackets alone', () => {
    const checked = validateCitations('A [Notes.md, Exits]. B [Other.docx, Intro]. C [7]. D [sic].', ps);
    expect(checked.text).toBe('A. B. C. D [sic].');
    expect(checked.invalid).toEqual(['[Notes.md, Exits]', '[Other.docx, Intro]', '[7]']);
    expect(checked.valid).toEqual([]);
  });
});

function result(overrides: Partial<AnswerResult>): AnswerResult {
  return { answer: '', language: 'en', mode: 'llm', citations: [], invalidCitations: [], passages: [], ...overrides };
}

describe('Telegram HTML formatting', () => {
  it('escapes &, < and > (what Telegram\'s HTML mode requires)', () => {
    expect(escapeHtml('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
  });

  it('formats an LLM answer with escaped text, sources and removed-citation warning', () => {
    const html = formatAnswerHtml(
      result({
        answer: 'Risk <1% & stop below low [Notes.md, Risk > Sizing].',
        citations: [{ document: 'Notes.md', heading: 'Risk > Sizing' }],
        invalidCitations: ['[Fake.pdf, p. 1]'],
      }),
    );
    expect(html).toBe(
      'Risk &lt;1% &amp; stop below low [Notes.md, Risk &gt; Sizing].\n\n' +
        '<i>Sources: [Notes.md, Risk &gt; Sizing]</i>\n\n' +
        '<i>⚠️ Removed citations not found in the documents: [Fake.pdf, p. 1]</i>',
    );
  });

  it('formats the extractive answer as quotes with citations', () => {
    const html = formatAnswerHtml(
      result({ mode: 'extractive', language: 'ru', passages: [passage('A.pdf', 'Стоп <за> свингом', 1, { page: 2 })] }),
    );
    expect(html).toBe('<b>Из ваших документов (без LLM, дословные выдержки):</b>\n\n<blockquote>Стоп &lt;за&gt; свингом</blockquote>\n<i>[A.pdf, p. 2]</i>');
  });

  it('keeps long answers under the Telegram limit without cutting an entity or a tag in half', () => {
    const long = '<&>'.repeat(3000);
    const html = formatAnswerHtml(result({ answer: long, citations: [{ document: 'A.pdf', page: 1 }] }));
    expect(html.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
    expect(html).toMatch(/(&lt;|&amp;|&gt;) …$/);
    const quotes = formatAnswerHtml(result({ mode: 'extractive', passages: [1, 2, 3].map((i) => passage(`D${i}.pdf`, '&'.repeat(5000), 1, { page: i })) }));
    expect(quotes.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
    expect(quotes.match(/<blockquote>/g)).toHaveLength(3);
    expect(quotes.match(/<\/blockquote>/g)).toHaveLength(3);
  });
});
