/**
 * Telegram's MarkdownV2 parse mode, strictly enough to catch the classic bot bug (an unescaped '.', '-', '(' ...),
 * and rendered to safe HTML for the web chat.
 */
import { escapeHtml } from './telegram-html.ts';

const RESERVED = new Set('_*[]()~`>#+-=|{}.!'.split(''));
const TOGGLES: Array<[string, string]> = [['||', 'span class="tg-spoiler"'], ['__', 'u'], ['*', 'b'], ['_', 'i'], ['~', 's']];

export function renderMarkdownV2(source: string): { html: string } | { error: string } {
  let html = '';
  const open: string[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index];
    if (char === '\\') {
      html += escapeHtml(source[index + 1] ?? '');
      index += 2;
      continue;
    }
    if (source.startsWith('```', index)) {
      const end = source.indexOf('```', index + 3);
      if (end === -1) return { error: `can't parse entities: Can't find end of Pre entity at byte offset ${bytes(source, index)}` };
      const body = source.slice(index + 3, end).replace(/^[\w+-]*\n/, '');
      html += `<pre>${escapeHtml(unescape(body))}</pre>`;
      index = end + 3;
      continue;
    }
    if (char === '`') {
      const end = source.indexOf('`', index + 1);
      if (end === -1) return { error: `can't parse entities: Can't find end of Code entity at byte offset ${bytes(source, index)}` };
      html += `<code>${escapeHtml(unescape(source.slice(index + 1, end)))}</code>`;
      index = end + 1;
      continue;
    }
    const link = /^\[((?:[^\]\\]|\\.)*)\]\(((?:[^)\\]|\\.)*)\)/.exec(source.slice(index));
    if (link) {
      const inner = renderMarkdownV2(link[1]);
      if ('error' in inner) return inner;
      const href = unescape(link[2]);
      const safe = /^(https?:|tg:|mailto:)/i.test(href);
      html += safe ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${inner.html}</a>` : inner.html;
      index += link[0].length;
      continue;
    }
    const toggle = TOGGLES.find(([marker]) => source.startsWith(marker, index));
    if (toggle) {
      const [marker, tag] = toggle;
      if (open[open.length - 1] === marker) {
        open.pop();
        html += `</${tag.split(' ')[0]}>`;
      } else {
        open.push(marker);
        html += `<${tag}>`;
      }
      index += marker.length;
      continue;
    }
    if (RESERVED.has(char)) {
      return { error: `can't parse entities: Character '${char}' is reserved and must be escaped with the preceding '\\'` };
    }
    html += escapeHtml(char);
    index += 1;
  }
  if (open.length > 0) {
    return { error: `can't parse entities: Can't find end of the entity starting at byte offset ${bytes(source, source.lastIndexOf(open[open.length - 1]))}` };
  }
  return { html };
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

function bytes(source: string, index: number): number {
  return Buffer.byteLength(source.slice(0, index));
}
