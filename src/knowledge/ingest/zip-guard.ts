/**
 * Zip-bomb guard for DOCX: reads the central directory and checks the DECLARED uncompressed sizes before anything
 * is inflated. A real Word document is a few MB unpacked with modest compression ratios; a bomb declares gigabytes.
 */
import { InputError } from '../../engine/errors.ts';

export const MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024;
/** Word's XML compresses about 5–20×; 200× on a large entry only happens in crafted archives. */
export const MAX_RATIO = 200;
const MAX_ENTRIES = 5000;
const RATIO_APPLIES_ABOVE = 1024 * 1024;

export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

export function readZipDirectory(file: string, bytes: Uint8Array): ZipEntryInfo[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndOfCentralDirectory(view);
  if (eocd < 0) throw new InputError(`${file}: not a valid DOCX (zip directory missing); the file may be truncated`, { file });
  const count = view.getUint16(eocd + 10, true);
  const size = view.getUint32(eocd + 12, true);
  let offset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || offset === 0xffffffff || offset + size > bytes.length) {
    throw new InputError(`${file}: not a valid DOCX (zip directory out of range or ZIP64)`, { file });
  }
  if (count > MAX_ENTRIES) throw new InputError(`${file}: the archive holds ${count} entries, too many for a document`, { file, value: count });
  const entries: ZipEntryInfo[] = [];
  for (let i = 0; i < count; i++) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== 0x02014b50) {
      throw new InputError(`${file}: not a valid DOCX (broken zip directory entry ${i + 1})`, { file });
    }
    const compressedSize = view.getUint32(offset + 20, true);
    const uncompressedSize = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const name = new TextDecoder().decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
    entries.push({ name, compressedSize, uncompressedSize });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Throws InputError when the archive would inflate to something no document needs. */
export function assertSafeZip(file: string, entries: ZipEntryInfo[]): void {
  let total = 0;
  for (const entry of entries) {
    // 0xFFFFFFFF means "see the ZIP64 record": Word never writes one, bombs do.
    if (entry.uncompressedSize === 0xffffffff || entry.compressedSize === 0xffffffff) {
      throw new InputError(`${file}: entry ${entry.name} declares a ZIP64 size; refusing a possible zip bomb`, { file, value: entry.name });
    }
    total += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (entry.uncompressedSize > RATIO_APPLIES_ABOVE && ratio > MAX_RATIO) {
      throw new InputError(
        `${file}: entry ${entry.name} would inflate ${Math.round(ratio)}× (${entry.compressedSize} → ${entry.uncompressedSize} bytes); refusing a possible zip bomb`,
        { file, value: entry.name },
      );
    }
  }
  if (total > MAX_UNCOMPRESSED_BYTES) {
    throw new InputError(
      `${file}: the archive would inflate to ${(total / 1024 / 1024).toFixed(0)} MB (limit ${MAX_UNCOMPRESSED_BYTES / 1024 / 1024} MB); refusing a possible zip bomb`,
      { file, value: total },
    );
  }
}

function findEndOfCentralDirectory(view: DataView): number {
  // The EOCD record is 22 bytes plus a comment of at most 65535 bytes, at the very end of the archive.
  const stop = Math.max(0, view.byteLength - 22 - 65535);
  for (let i = view.byteLength - 22; i >= stop; i--) if (view.getUint32(i, true) === 0x06054b50) return i;
  return -1;
}
