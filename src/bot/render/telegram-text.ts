/**
 * Telegram measures message length AFTER parsing entities, in UTF-16 code units (text 1–4,096, caption 0–1,024):
 * tags cost nothing, "&amp;" costs one. JavaScript string length is UTF-16 code units, so decoded text length is
 * exactly what Telegram counts. Truncation never cuts inside a tag, an entity or a surrogate pair, and closes the
 * tags left open, so the result always parses.
 */
export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;
/** answerCallbackQuery text. */
export const ANSWER_LIMIT = 200;

const TOKEN = /<\/?([a-zA-Z][\w-]*)[^>]*>|&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/g;
const NAMED: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"' };

interface Piece {
  kind: 'text' | 'open' | 'close' | 'entity';
  raw: string;
  /** Visible UTF-16 length. */
  size: number;
  tag?: string;
}

function pieces(html: string): Piece[] {
  const out: Piece[] = [];
  let last = 0;
  for (const match of html.matchAll(TOKEN)) {
    if (match.index > last) out.push({ kind: 'text', raw: html.slice(last, match.index), size: match.index - last });
    const raw = match[0];
    if (raw.startsWith('&')) out.push({ kind: 'entity', raw, size: decodeEntity(raw).length });
    else out.push({ kind: raw.startsWith('</') ? 'close' : 'open', raw, size: 0, tag: match[1].toLowerCase() });
    last = match.index + raw.length;
  }
  if (last < html.length) out.push({ kind: 'text', raw: html.slice(last), size: html.length - last });
  return out;
}

function decodeEntity(raw: string): string {
  if (raw in NAMED) return NAMED[raw];
  const code = raw.startsWith('&#x') ? parseInt(raw.slice(3, -1), 16) : parseInt(raw.slice(2, -1), 10);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
}

/** The text a reader sees: tags removed, entities decoded. */
export function visibleText(html: string): string {
  return pieces(html).map((p) => (p.kind === 'entity' ? decodeEntity(p.raw) : p.kind === 'text' ? p.raw : '')).join('');
}

/** Length as Telegram counts it for parse_mode HTML (leading/trailing whitespace is trimmed by Telegram). */
export function telegramLength(html: string, parseMode: 'HTML' | undefined = 'HTML'): number {
  return (parseMode === 'HTML' ? visibleText(html) : html).trim().length;
}

export function fits(html: string, limit = TEXT_LIMIT): boolean {
  return telegramLength(html) <= limit;
}

/**
 * Cuts Telegram HTML to at most `limit` visible UTF-16 units (the ellipsis included), closing open tags.
 * Text that already fits is returned unchanged.
 */
export function truncateHtml(html: string, limit: number, ellipsis = '…'): string {
  if (telegramLength(html) <= limit) return html;
  const budget = Math.max(0, limit - ellipsis.length);
  const open: string[] = [];
  let out = '';
  let used = 0;
  for (const piece of pieces(html)) {
    if (piece.kind === 'open') {
      out += piece.raw;
      open.push(piece.tag!);
      continue;
    }
    if (piece.kind === 'close') {
      out += piece.raw;
      const at = open.lastIndexOf(piece.tag!);
      if (at >= 0) open.splice(at, 1);
      continue;
    }
    if (used + piece.size <= budget) {
      out += piece.raw;
      used += piece.size;
      continue;
    }
    if (piece.kind === 'text') {
      let cut = budget - used;
      // Never split a surrogate pair: a lone half is not valid UTF-16 text.
      if (cut > 0 && /[\uD800-\uDBFF]/.test(piece.raw[cut - 1])) cut -= 1;
      out += piece.raw.slice(0, cut);
    }
    break;
  }
  // Tags opened and left empty by the cut would be "entities empty after parsing"; drop them.
  for (let dangling = /<([a-zA-Z][\w-]*)[^>]*>\s*$/.exec(out); dangling; dangling = /<([a-zA-Z][\w-]*)[^>]*>\s*$/.exec(out)) {
    const at = open.lastIndexOf(dangling[1].toLowerCase());
    if (at >= 0) open.splice(at, 1);
    out = out.slice(0, dangling.index);
  }
  return out.trimEnd() + ellipsis + open.reverse().map((tag) => `</${tag}>`).join('');
}

/** Plain (non-HTML) text cut to `limit` UTF-16 units without splitting a surrogate pair. */
export function truncatePlain(text: string, limit: number, ellipsis = '…'): string {
  if (text.length <= limit) return text;
  let cut = Math.max(0, limit - ellipsis.length);
  if (cut > 0 && /[\uD800-\uDBFF]/.test(text[cut - 1])) cut -= 1;
  return text.slice(0, cut) + ellipsis;
}
