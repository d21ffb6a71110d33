/**
 * Bytes of a text file → string. A byte-order mark decides (UTF-8, UTF-16 LE/BE: Windows Notepad saves "Unicode" as
 * UTF-16 LE with a BOM); BOM-less UTF-16 is recognised by its NUL bytes in every other position (Latin text) or by
 * valid Cyrillic code units; otherwise UTF-8, falling back to Windows-1251, which Russian traders' files often are.
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1251';

export function detectEncoding(bytes: Uint8Array): { encoding: TextEncoding; bomLength: number } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  const utf16 = bomlessUtf16(bytes);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { encoding: 'utf-8', bomLength: 0 };
  } catch {
    return { encoding: 'windows-1251', bomLength: 0 };
  }
}

export function decodeText(bytes: Uint8Array): string {
  const { encoding, bomLength } = detectEncoding(bytes);
  return new TextDecoder(encoding).decode(bytes.subarray(bomLength)).replace(/^\uFEFF/, '');
}

/**
 * UTF-16 without a BOM: in ASCII/Cyrillic text one byte of every pair is the high byte (0x00 or 0x04). Requires
 * most pairs to look like that, so a binary file with scattered NULs is not mistaken for text.
 */
function bomlessUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return undefined;
  let le = 0;
  let be = 0;
  for (let i = 0; i < n; i += 2) {
    if ((bytes[i + 1] === 0 || bytes[i + 1] === 4) && bytes[i] !== 0) le++;
    if ((bytes[i] === 0 || bytes[i] === 4) && bytes[i + 1] !== 0) be++;
  }
  const pairs = n / 2;
  if (le > pairs * 0.9 && le > be) return 'utf-16le';
  if (be > pairs * 0.9) return 'utf-16be';
  return undefined;
}
