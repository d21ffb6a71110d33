/** Generates the binary test documents (PDF, DOCX, zip bombs) in memory, so no binary fixture needs reviewing. */
import { solidPng } from '../../../src/bot/emulator/png.ts';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import JSZip from 'jszip';
import { PDFDocument, PDFHexString, PDFName, StandardFonts } from 'pdf-lib';

/** One PDF page per entry; each page's lines are drawn as real text (a text layer pdfjs can extract). */
export async function makeTextPdf(pages: string[][]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = pdf.addPage([595, 842]);
    lines.forEach((line, i) => page.drawText(line, { x: 50, y: 800 - i * 16, size: 11, font }));
  }
  return pdf.save();
}

/** A "scan": every page is an image, no text at all. */
export async function makeScannedPdf(pageCount = 2): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const image = await pdf.embedPng(solidPng(40, 40, [128, 128, 128]));
  for (let i = 0; i < pageCount; i++) pdf.addPage([595, 842]).drawImage(image, { x: 50, y: 400, width: 400, height: 400 });
  return pdf.save();
}

/** A text PDF whose trailer carries an /Encrypt dictionary: readers must ask for a password. */
export async function makeEncryptedPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage().drawText('Secret strategy notes', { x: 50, y: 700, font });
  const encrypt = pdf.context.obj({
    Filter: PDFName.of('Standard'),
    V: 1,
    R: 2,
    Length: 40,
    P: -44,
    O: PDFHexString.of('11'.repeat(32)),
    U: PDFHexString.of('22'.repeat(32)),
  });
  pdf.context.trailerInfo.Encrypt = pdf.context.register(encrypt);
  pdf.context.trailerInfo.ID = pdf.context.obj([PDFHexString.of('ab'.repeat(16)), PDFHexString.of('ab'.repeat(16))]);
  return pdf.save({ useObjectStreams: false });
}

export interface DocxSection {
  heading: string;
  level: 1 | 2;
  paragraphs: string[];
}

export async function makeDocx(sections: DocxSection[]): Promise<Uint8Array> {
  const children: Paragraph[] = [];
  for (const s of sections) {
    children.push(new Paragraph({ text: s.heading, heading: s.level === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2 }));
    for (const p of s.paragraphs) children.push(new Paragraph({ text: p }));
  }
  return new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children }] })));
}

/** A DOCX-looking zip whose document.xml inflates from a few KB to `megabytes` MB. */
export async function makeZipBomb(megabytes = 30): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<Types/>');
  zip.file('word/document.xml', new Uint8Array(megabytes * 1024 * 1024).fill(0x20));
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

/**
 * A small valid zip whose central directory DECLARES huge entries (the sizes a bomb would declare), without the
 * test having to build gigabytes. `declared` is written into every directory entry's uncompressed-size field.
 */
export async function makeZipDeclaring(declared: number, entries = 4): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file('word/document.xml', '<w:document/>');
  for (let i = 1; i < entries; i++) zip.file(`word/media/part${i}.xml`, `<part n="${i}"/>`.repeat(50));
  const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i + 4 <= bytes.length; i++) {
    if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, declared, true);
  }
  return bytes;
}

