import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/engine/errors.ts';
import { detectFormat } from '../../../src/knowledge/ingest/detect.ts';
import { extractDocument } from '../../../src/knowledge/ingest/extract.ts';
import { ROOT } from '../../helpers/candles.ts';
import { makeDocx, makeEncryptedPdf, makeScannedPdf, makeTextPdf, makeZipBomb, makeZipDeclaring } from '../helpers/documents.ts';

const FIXTURES = path.join(ROOT, 'test/fixtures/knowledge');
const fixture = (name: string): Uint8Array => readFileSync(path.join(FIXTURES, name));

async function extractError(name: string, bytes: Uint8Array): Promise<InputError> {
  try {
    await extractDocument(name, detectFormat(name, bytes), bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error(`${name} was accepted`);
}

describe('format detection refuses what cannot be read', () => {
  it.each([
    ['empty.md', new Uint8Array(0), /empty\.md: the file is empty/],
    ['table.xlsx', new TextEncoder().encode('a,b'), /table\.xlsx: unsupported file type "\.xlsx"/],
    ['image.txt', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]), /image\.txt: the file is binary/],
    ['report.pdf', new TextEncoder().encode('just text'), /report\.pdf: not a PDF/],
    ['notes.docx', new TextEncoder().encode('just text'), /notes\.docx: not a DOCX/],
  ])('%s', (name, bytes, message) => {
    expect(() => detectFormat(name, bytes)).toThrow(message);
  });

  it('refuses a file above the upload limit, naming both sizes', () => {
    expect(() => detectFormat('big.txt', new Uint8Array(3 * 1024 * 1024).fill(65), 2 * 1024 * 1024)).toThrow(
      /big\.txt: the file is 3\.0 MB, above the 2\.0 MB limit/,
    );
  });

  it('trusts the magic bytes over a missing extension', () => {
    expect(detectFormat('upload', new TextEncoder().encode('%PDF-1.7\n'))).toBe('pdf');
  });
});

describe('text formats', () => {
  it('Markdown: sections carry the heading path', async () => {
    const doc = await extractDocument('risk-management.md', 'md', fixture('risk-management.md'));
    expect(doc.sections.map((s) => s.heading)).toEqual([
      'Risk management',
      'Risk management > Position sizing',
      'Risk management > Stop placement',
      'Risk management > Daily loss limit',
    ]);
    expect(doc.sections[1].text).toMatch(/^Risk a fixed fraction of the account/);
  });

  it('Markdown: "#Title" without a space is a heading, fenced code is not, links keep their text', async () => {
    const md = '#Индикаторы\n\nТекст [ссылка](http://x.y) &#x41B;.\n\n```\n# not a heading\n```\n##Виды\n\nЕщё.';
    const doc = await extractDocument('t.md', 'md', new TextEncoder().encode(md));
    expect(doc.sections.map((s) => s.heading)).toEqual(['Индикаторы', 'Индикаторы > Виды']);
    expect(doc.sections[0].text).toContain('Текст ссылка Л.');
    expect(doc.sections[0].text).toContain('# not a heading');
  });

  it('HTML: h1–h6 build the path; script, style and comments are dropped; entities decoded', async () => {
    const doc = await extractDocument('sessions.html', 'html', fixture('sessions.html'));
    expect(doc.sections.map((s) => s.heading)).toEqual([
      'Trading sessions',
      'Trading sessions > London session',
      'Trading sessions > New York session',
    ]);
    const all = doc.sections.map((s) => s.text).join('\n');
    expect(all).toContain('volume & volatility');
    expect(all).toContain('BTC and ETH');
    expect(all).not.toMatch(/liquidation|font-family/);
  });

  it('TXT: Windows-1251 is decoded when the bytes are not UTF-8', async () => {
    // "Риск" in Windows-1251: Р=0xD0 и=0xE8 с=0xF1 к=0xEA
    const doc = await extractDocument('cp1251.txt', 'txt', new Uint8Array([0xd0, 0xe8, 0xf1, 0xea]));
    expect(doc.sections).toEqual([{ text: 'Риск' }]);
  });

  it('a document with no letters or digits is refused', async () => {
    const error = await extractError('dots.txt', new TextEncoder().encode('... --- ...\n'));
    expect(error.message).toBe('dots.txt: no readable text in the document');
  });
});

describe('PDF', () => {
  it('extracts text per page with 1-based page numbers', async () => {
    const bytes = await makeTextPdf([['Stops belong below the swing low.'], [], ['Leverage multiplies losses.']]);
    const doc = await extractDocument('book.pdf', 'pdf', bytes);
    expect(doc.pages).toBe(3);
    expect(doc.sections).toEqual([
      { page: 1, text: 'Stops belong below the swing low.' },
      { page: 3, text: 'Leverage multiplies losses.' },
    ]);
  });

  it('a scanned PDF (images only) is refused as having no text layer', async () => {
    const error = await extractError('scan.pdf', await makeScannedPdf(2));
    expect(error.message).toMatch(/^scan\.pdf: no text layer in 2 page\(s\)/);
  });

  it('an encrypted PDF is refused as password-protected', async () => {
    const error = await extractError('locked.pdf', await makeEncryptedPdf());
    expect(error.message).toMatch(/^locked\.pdf: the PDF is encrypted/);
  });

  it('a truncated PDF is refused as corrupt', async () => {
    const bytes = await makeTextPdf([['Some text'], ['More text']]);
    const error = await extractError('cut.pdf', bytes.slice(0, Math.floor(bytes.length / 2)));
    expect(error.message).toMatch(/^cut\.pdf: the PDF is corrupt or truncated/);
  });
});

describe('DOCX', () => {
  it('keeps headings as the heading path', async () => {
    const bytes = await makeDocx([
      { heading: 'Управление риском', level: 1, paragraphs: ['Риск на сделку не больше одного процента.'] },
      { heading: 'Stops', level: 2, paragraphs: ['Place the stop below the swing low.', 'Never widen it.'] },
    ]);
    const doc = await extractDocument('plan.docx', 'docx', bytes);
    expect(doc.sections).toEqual([
      { heading: 'Управление риском', text: 'Риск на сделку не больше одного процента.' },
      { heading: 'Управление риском > Stops', text: 'Place the stop below the swing low.\n\nNever widen it.' },
    ]);
  });

  it('a zip bomb disguised as DOCX is refused from its declared sizes', async () => {
    const error = await extractError('bomb.docx', await makeZipBomb(12));
    expect(error.message).toMatch(/^bomb\.docx: entry word\/document\.xml would inflate \d+× .*zip bomb/);
  });

  it('an archive declaring more than 100 MB in total is refused', async () => {
    // 30 MB declared per entry with a plausible ratio check bypassed only by the total: 4 × 30 MB > 100 MB.
    const error = await extractError('huge.docx', await makeZipDeclaring(30 * 1024 * 1024));
    expect(error.message).toMatch(/^huge\.docx: .*zip bomb/);
  });

  it('a zip without word/document.xml is not a Word document', async () => {
    const JSZip = (await import('jszip')).default;
    const zip = new JSZip();
    zip.file('readme.txt', 'hello');
    const error = await extractError('fake.docx', await zip.generateAsync({ type: 'uint8array' }));
    expect(error.message).toBe('fake.docx: a zip archive but not a Word document (no word/document.xml)');
  });
});
