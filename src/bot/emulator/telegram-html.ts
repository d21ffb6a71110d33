/**
 * Telegram's HTML parse mode: the emulator rejects what Telegram rejects (so bot bugs surface offline) and the web
 * chat renders it safely — only the tags Telegram supports are re-emitted, every other character is escaped.
 */
const TAG_ALIASES: Record<string, string> = {
  b: 'b', strong: 'b', i: 'i', em: 'i', u: 'u', ins: 'u', s: 's', strike: 's', del: 's',
  code: 'code', pre: 'pre', a: 'a', blockquote: 'blockquote', span: 'span', 'tg-spoiler': 'span', 'tg-emoji': 'span',
};

const TAG_PATTERN = /^<(\/?)([a-zA-Z][\w-]*)((?:\s+[\w-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(\/?)>/;
const ENTITY_PATTERN = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/;
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

export type HtmlToken =
  | { kind: 'text'; text: string }
  | { kind: 'open'; tag: string; attributes: Record<string, string> }
  | { kind: 'close'; tag: string };

/** Tokenizes Telegram HTML; returns Telegram's error description for markup Telegram would refuse. */
export function tokenizeTelegramHtml(source: string): { tokens: HtmlToken[] } | { error: string } {
  const tokens: HtmlToken[] = [];
  const open: string[] = [];
  let text = '';
  const byteOffset = (index: number): number => Buffer.byteLength(source.slice(0, index));
  const flush = (): void => {
    if (text) tokens.push({ kind: 'text', text });
    text = '';
  };
  let index = 0;
  while (index < source.length) {
    const char = source[index];
    if (char === '&') {
      const entity = ENTITY_PATTERN.exec(source.slice(index));
      text += entity ? decodeEntity(entity[1]) : '&';
      index += entity ? entity[0].length : 1;
      continue;
    }
    if (char !== '<') {
      text += char;
      index += 1;
      continue;
    }
    const match = TAG_PATTERN.exec(source.slice(index));
    if (!match) return { error: `can't parse entities: Unclosed start tag at byte offset ${byteOffset(index)}` };
    const [whole, slash, rawName, rawAttributes] = match;
    const name = rawName.toLowerCase();
    if (!(name in TAG_ALIASES)) {
      const which = slash ? 'end' : 'start';
      return { error: `can't parse entities: Unsupported ${which} tag "${name}" at byte offset ${byteOffset(index)}` };
    }
    flush();
    if (slash) {
      const expected = open.pop();
      if (expected !== name) {
        return {
          error: `can't parse entities: Unmatched end tag at byte offset ${byteOffset(index)}, expected "</${expected ?? ''}>", found "</${name}>"`,
        };
      }
      tokens.push({ kind: 'close', tag: name });
    } else {
      const attributes = parseAttributes(rawAttributes);
      // tdlib's rules: a bare <span> is not a spoiler, and a custom emoji needs its id.
      if (name === 'span' && attributes.class !== 'tg-spoiler') {
        return { error: `can't parse entities: Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(index)}` };
      }
      if (name === 'tg-emoji' && !/^\d+$/.test(attributes['emoji-id'] ?? '')) {
        return { error: `can't parse entities: Invalid custom emoji identifier specified` };
      }
      open.push(name);
      tokens.push({ kind: 'open', tag: name, attributes });
    }
    index += whole.length;
  }
  flush();
  if (open.length > 0) return { error: `can't parse entities: Can't find end tag corresponding to start tag "${open[open.length - 1]}"` };
  return { tokens };
}

/** Safe HTML for the web chat. Markup Telegram would refuse is shown as plain text. */
export function renderTelegramHtml(source: string): string {
  const parsed = tokenizeTelegramHtml(source);
  if ('error' in parsed) return escapeHtml(source);
  return parsed.tokens
    .map((token) => {
      if (token.kind === 'text') return escapeHtml(token.text);
      const tag = TAG_ALIASES[token.tag];
      if (token.kind === 'close') return tag === 'a' ? '</a>' : `</${tag}>`;
      if (tag === 'a') {
        const href = safeHref(token.attributes.href);
        return href ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">` : '<a>';
      }
      if (tag === 'span') return token.tag === 'tg-emoji' ? '<span>' : '<span class="tg-spoiler">';
      if (tag === 'code' && token.attributes.class?.startsWith('language-')) {
        return `<code class="${escapeHtml(token.attributes.class.replace(/[^\w-]/g, ''))}">`;
      }
      return `<${tag}>`;
    })
    .join('');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function safeHref(href: string | undefined): string | undefined {
  if (!href) return undefined;
  return /^(https?:|tg:|mailto:)/i.test(href.trim()) ? href.trim() : undefined;
}

function parseAttributes(raw: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  const pattern = /([\w-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
  for (const match of raw.matchAll(pattern)) {
    attributes[match[1].toLowerCase()] = decodeAll(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attributes;
}

function decodeAll(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/g, (_, entity: string) => decodeEntity(entity));
}

function decodeEntity(entity: string): string {
  if (entity in NAMED_ENTITIES) return NAMED_ENTITIES[entity];
  const code = entity.startsWith('#x') ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
}
