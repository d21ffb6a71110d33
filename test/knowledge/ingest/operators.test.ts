/**
 * Documents kept intact: trading rules written with comparison operators must come out of every text format exactly
 * as written (the old Markdown path dropped everything between "<" and ">"), and text files in UTF-16 or with a BOM
 * are read, not refused as binary.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chunkSections } from '../../../src/knowledge/chunking.ts';
import { detectFormat } from '../../../src/knowledge/ingest/detect.ts';
import { extractDocument } from '../../../src/knowledge/ingest/extract.ts';
import { makeDocx } from '../helpers/documents.ts';

const SOURCE = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/operator-rules.md'), 'utf8');
const RULES = SOURCE.split('\n').filter((line) => line.trim() && !line.startsWith('#'));

async function extractedLines(name: string, bytes: Uint8Array): Promise<string[]> {
  const doc = await extractDocument(name, detectFormat(name, bytes), bytes);
  return doc.sections.flatMap((s) => s.text.split('\n')).filter((l) => l.trim());
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function utf16(text: string, order: 'le' | 'be', bom: boolean): Uint8Array {
  const out = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
  const units = (bom ? '\uFEFF' : '') + text;
  for (let i = 0; i < units.length; i++) {
    const code = units.charCodeAt(i);
    out[2 * i + (order === 'le' ? 0 : 1)] = code & 0xff;
    out[2 * i + (order === 'le' ? 1 : 0)] = code >> 8;
  }
  return out;
}

describe('rules with comparison operators round-trip exactly', () => {
  it('Markdown keeps "<", ">", "&", "<=", "<=>" and <placeholders> verbatim', async () => {
    expect(await extractedLines('rules.md', new TextEncoder().encode(SOURCE))).toEqual(RULES);
  });

  it('Markdown still strips real inline HTML and decodes entities after stripping (so &lt;b&gt; stays text)', async () => {
    const md = 'Buy <b>only</b> when RSI < 30<br/> and <span class="x">close</span> > EMA; write &lt;b&gt; literally.';
    expect(await extractedLines('t.md', new TextEncoder().encode(md))).toEqual(['Buy only when RSI < 30 and close > EMA; write <b> literally.']);
  });

  it('HTML (escaped as a browser needs) gives the same rules; bare operators followed by a space or digit stay too', async () => {
    const html = `<html><body><h1>Rules</h1>${RULES.map((r) => `<p>${escapeHtml(r)}</p>`).join('\n')}<p>RSI < 30 and price > EMA 200; x<5</p></body></html>`;
    expect(await extractedLines('rules.html', new TextEncoder().encode(html))).toEqual([...RULES, 'RSI < 30 and price > EMA 200; x<5']);
  });

  it('DOCX paragraphs keep the operators', async () => {
    const bytes = await makeDocx([{ heading: 'Rules', level: 1, paragraphs: RULES }]);
    expect(await extractedLines('rules.docx', bytes)).toEqual(RULES);
  });

  it('chunks carry every rule whole', async () => {
    const doc = await extractDocument('rules.md', 'md', new TextEncoder().encode(SOURCE));
    const chunks = chunkSections(doc.sections).map((c) => c.text).join('\n');
    for (const rule of RULES) expect(chunks).toContain(rule);
  });
});

describe('text encodings', () => {
  const text = `${RULES[0]}\nРиск на сделку <= 1%.`;
  it.each([
    ['UTF-16 LE with BOM', utf16(text, 'le', true)],
    ['UTF-16 BE with BOM', utf16(text, 'be', true)],
    ['UTF-16 LE without BOM', utf16(text, 'le', false)],
    ['UTF-8 with BOM', new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)])],
  ])('%s is read as text', async (_, bytes) => {
    expect(await extractedLines('notes.txt', bytes)).toEqual(text.split('\n'));
    expect(await extractedLines('notes.md', bytes)).toEqual(text.split('\n'));
  });

  it('a binary file with NUL bytes is still refused', () => {
    expect(() => detectFormat('image.txt', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0x49, 0x48, 0, 0x44]))).toThrow(/binary/);
  });
});
