/**
 * Decides a file's format from its extension and first bytes, and refuses what cannot be read (empty, too big,
 * unsupported, binary masquerading as text) before any parser sees it.
 */
import path from 'node:path';
import { InputError } from '../../engine/errors.ts';
import type { DocumentFormat } from '../index.ts';
import { detectEncoding } from './decode.ts';

/** Telegram bots cannot download files above 20 MB, so nothing larger can arrive through the bot anyway. */
export const DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

const BY_EXTENSION: Record<string, DocumentFormat> = {
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.md': 'md',
  '.markdown': 'md',
  '.txt': 'txt',
  '.text': 'txt',
  '.html': 'html',
  '.htm': 'html',
};

export function detectFormat(name: string, bytes: Uint8Array, maxBytes = DEFAULT_MAX_UPLOAD_BYTES): DocumentFormat {
  const file = path.basename(name);
  if (bytes.length === 0) throw new InputError(`${file}: the file is empty`, { file });
  if (bytes.length > maxBytes) {
    throw new InputError(`${file}: the file is ${mb(bytes.length)}, above the ${mb(maxBytes)} limit`, { file, value: bytes.length });
  }
  const ext = path.extname(file).toLowerCase();
  const isPdf = startsWith(bytes, '%PDF-');
  const isZip = startsWith(bytes, 'PK\x03\x04');
  const format = BY_EXTENSION[ext];
  if (isPdf && (format === undefined || format === 'pdf')) return 'pdf';
  if (isZip && (format === undefined || format === 'docx')) return 'docx';
  if (format === 'pdf') throw new InputError(`${file}: not a PDF (it does not start with %PDF-); the file may be corrupt`, { file });
  if (format === 'docx') throw new InputError(`${file}: not a DOCX (it is not a zip archive); the file may be corrupt`, { file });
  if (format === undefined) {
    throw new InputError(`${file}: unsupported file type "${ext || '(no extension)'}"; send PDF, DOCX, Markdown, TXT or HTML`, {
      file,
      value: ext,
    });
  }
  if (isZip || isPdf || looksBinary(bytes)) {
    throw new InputError(`${file}: the file is binary, not ${format.toUpperCase()} text`, { file });
  }
  return format;
}

function startsWith(bytes: Uint8Array, magic: string): boolean {
  if (bytes.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic.charCodeAt(i)) return false;
  return true;
}

/** NUL bytes never occur in UTF-8 or Windows-1251 text; UTF-16 text (with a BOM, or recognisably without) is text. */
function looksBinary(bytes: Uint8Array): boolean {
  if (detectEncoding(bytes).encoding.startsWith('utf-16')) return false;
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
