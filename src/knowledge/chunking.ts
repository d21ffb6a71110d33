/**
 * Sections → chunks of about TARGET characters that end on sentence boundaries and never cross a heading or a page,
 * so every chunk can cite one page or one heading path. Consecutive chunks share one sentence of overlap, so a fact
 * split across the boundary is still found whole in one of them. Tables of contents and navigation lines are not
 * passages (ingest/navigation.ts).
 */
import { stripNavigation } from './ingest/navigation.ts';
import type { Section } from './ingest/types.ts';

export const CHUNK_TARGET_CHARS = 900;
export const CHUNK_MAX_CHARS = 1400;
const OVERLAP_MAX_CHARS = 250;

export interface Chunk {
  ordinal: number;
  page?: number;
  heading?: string;
  text: string;
}

export function chunkSections(sections: Section[], target = CHUNK_TARGET_CHARS, max = CHUNK_MAX_CHARS): Chunk[] {
  const chunks: Chunk[] = [];
  for (const section of sections) {
    for (const text of chunkText(stripNavigation(section.text), target, max)) {
      chunks.push({ ordinal: chunks.length, page: section.page, heading: section.heading, text });
    }
  }
  return chunks;
}

export function chunkText(text: string, target = CHUNK_TARGET_CHARS, max = CHUNK_MAX_CHARS): string[] {
  const units = splitUnits(text, max);
  const out: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const unit of units) {
    if (length > 0 && length + unit.length + 1 > target) {
      out.push(current.join(' '));
      const last = current[current.length - 1];
      current = last.length <= OVERLAP_MAX_CHARS && last.length + unit.length + 1 <= max ? [last] : [];
      length = current.reduce((n, u) => n + u.length + 1, 0);
    }
    current.push(unit);
    length += unit.length + 1;
  }
  if (current.length > 0) {
    const tail = current.join(' ');
    // A tail that is only the overlap sentence repeats the previous chunk; drop it.
    if (!(out.length > 0 && current.length === 1 && out[out.length - 1].endsWith(tail))) out.push(tail);
  }
  return out.map((c) => c.trim()).filter((c) => /[\p{L}\p{N}]/u.test(c));
}

/** Sentences, or lines/word runs when a "sentence" (a table, a list without full stops) exceeds `max`. */
function splitUnits(text: string, max: number): string[] {
  const units: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    const flat = paragraph.replace(/\s*\n\s*/g, ' ').trim();
    if (!flat) continue;
    for (const sentence of flat.split(/(?<=[.!?…])\s+(?=[\p{Lu}\p{N}«"“(\[-])/u)) {
      if (sentence.length <= max) units.push(sentence);
      else units.push(...splitLong(sentence, max));
    }
  }
  return units;
}

function splitLong(sentence: string, max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of sentence.split(/\s+/)) {
    if (current && current.length + word.length + 1 > max) {
      out.push(current);
      current = '';
    }
    // A single "word" longer than max (a URL, a base64 blob) is cut hard.
    for (let w = word; w.length > 0; w = w.slice(max)) {
      const piece = w.slice(0, max);
      current = current ? `${current} ${piece}` : piece;
      if (current.length >= max) {
        out.push(current);
        current = '';
      }
    }
  }
  if (current) out.push(current);
  return out;
}
