/**
 * Formats answers for Telegram's HTML parse mode (what grammY sends with `parse_mode: 'HTML'`): only <b>, <i> and
 * <blockquote>, every piece of document or model text escaped, and the whole message kept under Telegram's
 * 4096-character limit by shortening quotes rather than cutting tags in half.
 */
import type { AnswerResult } from './answer.ts';
import { citationLabel, citationOf } from './citations.ts';
import { excerpt, extractiveHeader } from './extractive.ts';

export const TELEGRAM_MESSAGE_LIMIT = 4096;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const SOURCES = { ru: 'Источники', en: 'Sources' } as const;
const UNVERIFIED = { ru: 'Удалены ссылки, которых нет в документах', en: 'Removed citations not found in the documents' } as const;
const AGREEMENT = { ru: 'Согласие моделей', en: 'Model agreement' } as const;

export function formatAnswerHtml(result: AnswerResult): string {
  const lang = result.language;
  if (result.mode === 'extractive') {
    for (const limit of [600, 350, 200, 100]) {
      const html = extractiveHtml(result, limit);
      if (html.length <= TELEGRAM_MESSAGE_LIMIT) return html;
    }
    return extractiveHtml(result, 60);
  }
  const parts = [escapeHtml(result.answer)];
  if (result.citations.length > 0) parts.push(`<i>${SOURCES[lang]}: ${escapeHtml(result.citations.map(citationLabel).join(' '))}</i>`);
  if (result.invalidCitations.length > 0) parts.push(`<i>⚠️ ${UNVERIFIED[lang]}: ${escapeHtml(result.invalidCitations.join(' '))}</i>`);
  if (result.agreement !== undefined) parts.push(`<i>${AGREEMENT[lang]}: ${Math.round(result.agreement * 100)}%</i>`);
  return truncateEscaped(parts.join('\n\n'));
}

function extractiveHtml(result: AnswerResult, excerptChars: number): string {
  const blocks = result.passages.slice(0, 3).map(
    (p) => `<blockquote>${escapeHtml(excerpt(p.text, excerptChars))}</blockquote>\n<i>${escapeHtml(citationLabel(citationOf(p)))}</i>`,
  );
  return [`<b>${escapeHtml(extractiveHeader(result.language))}</b>`, ...blocks].join('\n\n');
}

/** Model answers have no tags of ours inside the first part, so the cut lands in plain escaped text; never inside an entity. */
function truncateEscaped(html: string): string {
  if (html.length <= TELEGRAM_MESSAGE_LIMIT) return html;
  let cut = html.slice(0, TELEGRAM_MESSAGE_LIMIT - 2);
  const amp = cut.lastIndexOf('&');
  if (amp > cut.lastIndexOf(';')) cut = cut.slice(0, amp);
  const openItalic = cut.lastIndexOf('<i>') > cut.lastIndexOf('</i>');
  if (openItalic) cut = cut.slice(0, cut.lastIndexOf('<i>'));
  const openTag = cut.lastIndexOf('<') > cut.lastIndexOf('>');
  if (openTag) cut = cut.slice(0, cut.lastIndexOf('<'));
  return `${cut.trimEnd()} …`;
}
