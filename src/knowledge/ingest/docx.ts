/** DOCX → HTML through mammoth (keeps Heading 1..6 as h1..h6) → sections, after the zip-bomb guard. */
import path from 'node:path';
import { InputError } from '../../engine/errors.ts';
import { extractHtml } from './html.ts';
import type { Section } from './types.ts';
import { assertSafeZip, readZipDirectory } from './zip-guard.ts';

export async function extractDocx(name: string, bytes: Uint8Array): Promise<Section[]> {
  const file = path.basename(name);
  const entries = readZipDirectory(file, bytes);
  assertSafeZip(file, entries);
  if (!entries.some((e) => e.name === 'word/document.xml')) {
    throw new InputError(`${file}: a zip archive but not a Word document (no word/document.xml)`, { file });
  }
  const { default: mammoth } = await import('mammoth');
  let html: string;
  try {
    ({ value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) }));
  } catch (cause) {
    throw new InputError(`${file}: the DOCX cannot be read (${(cause as Error).message}); the file may be corrupt`, { file }, { cause });
  }
  return extractHtml(html);
}
