/**
 * Markdown → sections by ATX heading (`#`..`######`), with markup reduced to the words a reader sees. A paragraph
 * that opens with a bold term followed by its definition ("**Индекс относительной силы** (RSI) – популярный…") starts
 * a sub-section named after the term: glossary-style documents define one concept per paragraph under one heading,
 * and the term in the heading path tells retrieval what each of those chunks is about.
 */
import { decodeEntities } from './html.ts';
import { stripMarkdownTags } from './tags.ts';
import type { Section } from './types.ts';

export function extractMarkdown(source: string): Section[] {
  const sections: Section[] = [];
  const path: string[] = [];
  let lines: string[] = [];
  let inFence = false;
  let term: string | undefined;
  let previousBlank = true;
  const flush = (): void => {
    const text = lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
    const heading = [...path.filter(Boolean), ...(term ? [term] : [])].join(' > ');
    if (text) sections.push({ heading: heading || undefined, text });
    lines = [];
  };
  for (const raw of source.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s*(```|~~~)/.test(raw)) {
      inFence = !inFence;
      continue;
    }
    // "#Title" without the space is not CommonMark, but real documents (Tinkoff's docs among them) use it.
    const heading = inFence ? null : /^\s{0,3}(#{1,6})(?:\s+|(?=\p{L}))(.+?)\s*#*\s*$/u.exec(raw);
    if (heading) {
      flush();
      const level = heading[1].length;
      path.length = level;
      path[level - 1] = inline(heading[2]);
      term = undefined;
      previousBlank = true;
      continue;
    }
    const defined = !inFence && previousBlank ? DEFINITION.exec(raw) : null;
    if (defined) {
      flush();
      term = inline(defined[1]);
    }
    previousBlank = !raw.trim();
    lines.push(inFence ? raw : inline(raw));
  }
  flush();
  return sections;
}

/**
 * Markup → the words a reader sees. Tags are stripped before entities are decoded (so "&lt;b&gt;" stays literal
 * text) and only when they are real HTML (see tags.ts): "RSI < 30 and price > EMA 200" is a rule, not a tag.
 */
/** A bold term of one to eight words at the start of a paragraph, followed on the same line by a definition. */
const DEFINITION = /^\s{0,3}\*\*([^*\n]{2,80}?)\*\*(?=[\s,:(–—-]).{40,}/u;

function inline(line: string): string {
  const withoutTags = stripMarkdownTags(line.replace(/<!--.*?-->/g, '').replace(/<(https?:\/\/[^>\s]+)>/g, '$1'));
  return decodeEntities(withoutTags)
    .replace(/\{%.*?%\}/g, '')
    .replace(/\\([\\`*_{}\[\]()#+\-.!|<>])/g, '$1')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/^\s*[-*+]\s+/, '- ')
    .replace(/^\s*>\s?/, '')
    .replace(/^\s*\|?(\s*:?-{3,}:?\s*\|)+\s*$/, '')
    .replace(/\s*\|\s*/g, ' | ')
    .replace(/(\*\*\*|\*\*|__|`)/g, '')
    .replace(/\u200b/g, '')
    .replace(/^!!!\s+\w+\s*/, '')
    .trimEnd();
}
