/**
 * Citations look like `[document, p. 12]` (pages, for PDFs) or `[document, Heading > Sub]` (no pages). A model may
 * invent sources, so every bracketed citation in an answer is checked against the passages it was actually given:
 * valid ones are normalised, numeric ones (`[2]`) are mapped to their passage, invented ones are dropped and reported.
 */
import type { Passage } from '../types.ts';

export interface Citation {
  document: string;
  page?: number;
  heading?: string;
}

export function citationOf(passage: Passage): Citation {
  return { document: passage.document, page: passage.page, heading: passage.page === undefined ? passage.heading : undefined };
}

export function citationLabel(citation: Citation): string {
  if (citation.page !== undefined) return `[${citation.document}, p. ${citation.page}]`;
  if (citation.heading) return `[${citation.document}, ${citation.heading}]`;
  return `[${citation.document}]`;
}

export interface CitationCheck {
  /** The answer with invented citations removed and valid ones in the canonical form. */
  text: string;
  valid: Citation[];
  /** Citations as the model wrote them that match no given passage. */
  invalid: string[];
}

const PAGE = /^(?:p{1,2}\.?|pages?|с\.|стр\.?|страница)?\s*(\d+)(?:\s*[-–]\s*\d+)?$/i;

export function validateCitations(answer: string, passages: Passage[]): CitationCheck {
  const valid: Citation[] = [];
  const invalid: string[] = [];
  const seen = new Set<string>();
  const keep = (citation: Citation): string => {
    const label = citationLabel(citation);
    if (!seen.has(label)) {
      seen.add(label);
      valid.push(citation);
    }
    return label;
  };

  const text = answer.replace(/\s?\[([^[\]\n]{1,200})\]/g, (whole, inner: string) => {
    const lead = whole.startsWith(' ') ? ' ' : '';
    const body = inner.trim();
    if (/^\d+$/.test(body)) {
      const passage = passages[Number(body) - 1];
      if (passage) return lead + keep(citationOf(passage));
      invalid.push(whole.trim());
      return '';
    }
    const prefix = documentPrefix(body, passages);
    if (!prefix) {
      // A bracket that names no document and has no comma is ordinary prose, not a citation attempt.
      if (!body.includes(',')) return whole;
      invalid.push(whole.trim());
      return '';
    }
    const doc = prefix.document;
    const rest = body.slice(prefix.length).replace(/^\s*[,:;]\s*/, '').trim();
    const ofDoc = passages.filter((p) => p.document === doc);
    const match = rest === '' ? ofDoc[0] : ofDoc.find((p) => locatorMatches(rest, p));
    if (!match) {
      invalid.push(whole.trim());
      return '';
    }
    return lead + keep(rest === '' ? { document: doc } : citationOf(match));
  });
  return { text: text.replace(/[ \t]+([.,;:!?])/g, '$1').replace(/[ \t]{2,}/g, ' ').trim(), valid, invalid };
}

/** The passage document the citation starts with (case-insensitive, extension optional), longest name first. */
function documentPrefix(body: string, passages: Passage[]): { document: string; length: number } | undefined {
  const lower = body.toLowerCase();
  const names = [...new Set(passages.map((p) => p.document))].sort((a, b) => b.length - a.length);
  for (const name of names) {
    const variants = [name, name.replace(/\.[a-z0-9]{1,5}$/i, '')];
    for (const variant of variants) {
      const v = variant.toLowerCase();
      if (lower === v || (lower.startsWith(v) && /^[\s,:;]/.test(lower.slice(v.length)))) return { document: name, length: v.length };
    }
  }
  return undefined;
}

function locatorMatches(locator: string, passage: Passage): boolean {
  const page = PAGE.exec(locator);
  if (page) return passage.page === Number(page[1]);
  if (!passage.heading) return false;
  const want = normalise(locator);
  const heading = normalise(passage.heading);
  const last = normalise(passage.heading.split('>').at(-1) ?? '');
  return want === heading || want === last || heading.endsWith(want);
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[«»"']/g, '').replace(/\s*>\s*/g, ' > ').replace(/\s+/g, ' ').trim();
}
