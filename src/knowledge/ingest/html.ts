/** HTML → sections: h1–h6 build the heading path, block elements become line breaks, everything else is text. */
import { stripHtmlTags } from './tags.ts';
import type { Section } from './types.ts';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', laquo: '«', raquo: '»', mdash: '—', ndash: '–', hellip: '…' };

export function extractHtml(html: string): Section[] {
  const cleaned = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|noscript|template|head)\b[\s\S]*?<\/\1\s*>/gi, '');
  const sections: Section[] = [];
  const path: string[] = [];
  let buffer = '';
  const flush = (): void => {
    const text = toText(buffer);
    if (text) sections.push({ heading: path.filter(Boolean).join(' > ') || undefined, text });
    buffer = '';
  };
  const headingRe = /<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1\s*>/gi;
  let last = 0;
  for (const match of cleaned.matchAll(headingRe)) {
    buffer += cleaned.slice(last, match.index);
    flush();
    const level = Number(match[1]);
    path.length = level;
    path[level - 1] = toText(match[2]).replace(/\s+/g, ' ');
    last = match.index! + match[0].length;
  }
  buffer += cleaned.slice(last);
  flush();
  return sections;
}

function toText(fragment: string): string {
  const blocks = fragment
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(p|div|li|ul|ol|tr|table|section|article|blockquote|pre|h[1-6])\b[^<>]*>/gi, '\n')
    .replace(/<\/?(td|th)\b[^<>]*>/gi, ' ');
  // Only real tags go (a letter after "<"): a bare "RSI < 30 and price > EMA" is text, as it is to a browser.
  return decodeEntities(stripHtmlTags(blocks))
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] === '#') {
      const n = code[1].toLowerCase() === 'x' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(n) && n > 0 && n < 0x110000 ? String.fromCodePoint(n) : whole;
    }
    return ENTITIES[code.toLowerCase()] ?? whole;
  });
}
