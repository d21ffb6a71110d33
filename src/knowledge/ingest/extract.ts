/** Bytes → sections of text, by format. Every refusal is an InputError that names the file and the problem. */
import path from 'node:path';
import { InputError } from '../../engine/errors.ts';
import type { DocumentFormat } from '../index.ts';
import { decodeText } from './decode.ts';
import { extractDocx } from './docx.ts';
import { extractHtml } from './html.ts';
import { extractMarkdown } from './markdown.ts';
import { extractPdf } from './pdf.ts';
import type { ExtractedDocument, ProgressSink, Section } from './types.ts';

export async function extractDocument(
  name: string,
  format: DocumentFormat,
  bytes: Uint8Array,
  onPage?: ProgressSink,
): Promise<ExtractedDocument> {
  const file = path.basename(name);
  let doc: ExtractedDocument;
  switch (format) {
    case 'pdf':
      doc = await extractPdf(file, bytes, onPage);
      break;
    case 'docx':
      doc = { format, sections: await extractDocx(file, bytes) };
      break;
    case 'html':
      doc = { format, sections: extractHtml(decodeText(bytes)) };
      break;
    case 'md':
      doc = { format, sections: extractMarkdown(decodeText(bytes)) };
      break;
    case 'txt':
      doc = { format, sections: plainText(decodeText(bytes)) };
      break;
  }
  if (!doc.sections.some((s) => /[\p{L}\p{N}]/u.test(s.text))) {
    throw new InputError(`${file}: no readable text in the document`, { file });
  }
  return doc;
}

function plainText(text: string): Section[] {
  const trimmed = text.replace(/\r\n?/g, '\n').trim();
  return trimmed ? [{ text: trimmed }] : [];
}
