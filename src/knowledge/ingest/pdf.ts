/**
 * PDF → one section per page through pdfjs-dist's legacy build (the one that runs in Node). Encrypted files fail
 * with PasswordException, corrupt ones with InvalidPDFException; a PDF whose pages carry no text is a scan.
 */
import path from 'node:path';
import { InputError } from '../../engine/errors.ts';
import type { ExtractedDocument, ProgressSink, Section } from './types.ts';

interface TextItem {
  str?: string;
  hasEOL?: boolean;
}

export async function extractPdf(name: string, bytes: Uint8Array, onPage?: ProgressSink): Promise<ExtractedDocument> {
  const file = path.basename(name);
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdfjs detaches the buffer it is given; hand it a copy so the caller's bytes stay usable (hashing, retries).
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    isEvalSupported: false,
    verbosity: 0,
    stopAtErrors: false,
  });
  let doc: Awaited<typeof task.promise>;
  try {
    doc = await task.promise;
  } catch (cause) {
    await task.destroy().catch(() => undefined);
    throw describePdfError(file, cause);
  }
  try {
    const sections: Section[] = [];
    for (let page = 1; page <= doc.numPages; page++) {
      let text: string;
      try {
        const content = await (await doc.getPage(page)).getTextContent();
        text = (content.items as TextItem[]).map((item) => (item.str ?? '') + (item.hasEOL ? '\n' : '')).join('');
      } catch (cause) {
        throw new InputError(`${file}: page ${page} cannot be read (${(cause as Error).message}); the PDF may be corrupt`, { file, value: page }, { cause });
      }
      text = cleanPageText(text);
      if (text) sections.push({ page, text });
      await onPage?.(page, doc.numPages);
    }
    if (sections.length === 0) {
      throw new InputError(`${file}: no text layer in ${doc.numPages} page(s); it looks like a scan, and OCR is not supported`, { file });
    }
    return { format: 'pdf', pages: doc.numPages, sections };
  } finally {
    await doc.destroy().catch(() => undefined);
  }
}

function describePdfError(file: string, cause: unknown): InputError {
  const name = (cause as { name?: string })?.name ?? '';
  const message = (cause as Error)?.message ?? String(cause);
  if (name === 'PasswordException' || /password|encrypt/i.test(message)) {
    return new InputError(`${file}: the PDF is encrypted (password-protected); send a copy without a password`, { file }, { cause });
  }
  return new InputError(`${file}: the PDF is corrupt or truncated and cannot be opened (${message})`, { file }, { cause });
}

/** Rejoins words hyphenated across lines and squeezes the spacing pdfjs leaves between text runs. */
function cleanPageText(text: string): string {
  return text
    .replace(/(\p{L})-\n(\p{Ll})/gu, '$1$2')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
