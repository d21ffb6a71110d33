/** Length as Telegram measures it and truncation that always leaves parseable HTML (checked by the emulator's parser). */
import { describe, expect, it } from 'vitest';
import { telegramLength, truncateHtml, visibleText } from '../../../src/bot/render/telegram-text.ts';
import { paginate } from '../../../src/bot/render/pages.ts';
import { tokenizeTelegramHtml } from '../../../src/bot/emulator/telegram-html.ts';
import { extractTables } from '../../../src/bot/render/tables.ts';

const parses = (html: string) => !('error' in tokenizeTelegramHtml(html));

describe('telegram text', () => {
  it('counts UTF-16 units after entity parsing', () => {
    expect(telegramLength('<b>a&amp;b</b> <a href="https://x.y">😀</a>')).toBe(6);
    expect(visibleText('&lt;tag&gt; &#x41;&#66;')).toBe('<tag> AB');
  });

  it('truncates without cutting a tag, an entity or a surrogate pair, and closes what it leaves open', () => {
    const html = '<b>Bold <i>italic &amp; more</i></b> <code>code 😀😀😀</code> tail';
    for (let limit = 2; limit <= telegramLength(html); limit += 1) {
      const cut = truncateHtml(html, limit);
      expect(parses(cut), `${limit}: ${cut}`).toBe(true);
      expect(telegramLength(cut), `${limit}: ${cut}`).toBeLessThanOrEqual(limit);
      expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(cut), `${limit}: lone surrogate`).toBe(false);
    }
    expect(truncateHtml(html, 10)).toBe('<b>Bold <i>ital…</i></b>');
    expect(truncateHtml('short', 10)).toBe('short');
  });

  it('pages never exceed the limit and keep every item once', () => {
    const items = Array.from({ length: 500 }, (_, i) => `• <b>item ${i}</b> ${'x'.repeat(i % 50)}`);
    const pages = paginate({ header: '<b>Title</b>', items, footer: 'footer' }, 1000);
    expect(pages.every((p) => telegramLength(p) <= 1000 && parses(p))).toBe(true);
    for (const i of [0, 250, 499]) expect(pages.filter((p) => p.includes(`item ${i}</b>`))).toHaveLength(1);
  });

  it('finds fixed-width tables and splits columns at gaps blank in every line', () => {
    const row = (a: string, b: string, c: string) => `  ${a.padEnd(3)} ${b.padEnd(5)} ${c.padStart(8)}`;
    const lines = ['Title', row('#', 'name', 'value'), row('1', 'a', '+1.20 %'), row('2', 'bb', '-3.40 %'), row('3', 'ccc', '12.00 %'), '  Total  3'];
    const { lines: out, tables } = extractTables(lines, (rows) => `[${rows} rows]`);
    expect(out).toEqual(['Title', '[3 rows]', '  Total  3']);
    expect(tables[0].csv.toString()).toBe('#,name,value\n1,a,+1.20 %\n2,bb,-3.40 %\n3,ccc,12.00 %\n');
  });
});
