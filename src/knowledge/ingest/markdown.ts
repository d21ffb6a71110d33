/** Markdown → sections by ATX heading (`#`..`######`), with markup reduced to the words a reader sees. */
import { decodeEntities } from './html.ts';
import { stripMarkdownTags } from './tags.ts';
import type { Section } from './types.ts';

export function extractMarkdown(source: string): Section[] {
  const sections: Section[] = [];
  const path: string[] = [];
  let lines: string[] = [];
  let inFence = false;
  const flush = (): void => {
    const text = lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
    if (text) sections.push({ heading: path.filter(Boolean).join(' > ') || undefined, text });
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
      continue;
    }
    lines.push(inFence ? raw : inline(raw));
  }
  flush();
  return sections;
}

/**
 * Markup → the words a reader sees. Tags are stripped before entities are decoded (so "&lt;b&gt;" stays literal
 * text) and only when they are real HTML (see tags.ts): "RSI < 30 and price > EMA 200" is a rule, not a tag.
 */
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
