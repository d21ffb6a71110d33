/**
 * Stored uploads, addressed like Telegram: a file_id to re-send, a file_unique_id, and a file_path to download.
 * Bytes live in memory; with a dataDir they are also written to disk so a person can inspect what the bot sent.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface StoredFile {
  fileId: string;
  fileUniqueId: string;
  filePath: string;
  fileName: string;
  mimeType: string;
  bytes: Buffer;
  width?: number;
  height?: number;
}

export type StoredFileMeta = Omit<StoredFile, 'bytes'>;

export interface FileStore {
  put(input: { bytes: Buffer; fileName: string; mimeType?: string; kind: 'photos' | 'documents' }): StoredFile;
  byId(fileId: string): StoredFile | undefined;
  byPath(filePath: string): StoredFile | undefined;
  /** Metadata of every stored file (for the web chat history). */
  list(): StoredFileMeta[];
  /** Puts back a file kept on disk by an earlier run; false when its bytes are gone. */
  restore(meta: StoredFileMeta): boolean;
}

export function createFileStore(dataDir?: string): FileStore {
  const byId = new Map<string, StoredFile>();
  const byPath = new Map<string, StoredFile>();
  let counter = 0;
  return {
    put({ bytes, fileName, mimeType, kind }) {
      counter += 1;
      const safeName = fileName.replace(/[^\w.-]+/g, '_').slice(-80) || 'file';
      const filePath = `${kind}/file_${counter}_${safeName}`;
      const size = imageSize(bytes);
      const file: StoredFile = {
        // Telegram's ids are opaque; a random tail keeps tests from relying on their shape.
        fileId: `${kind === 'photos' ? 'AgAC' : 'BQAC'}${counter}_${randomBytes(9).toString('base64url')}`,
        fileUniqueId: `AQAD${counter}${randomBytes(4).toString('hex')}`,
        filePath,
        fileName,
        mimeType: mimeType || guessMime(fileName),
        bytes,
        ...(size ?? {}),
      };
      byId.set(file.fileId, file);
      byPath.set(filePath, file);
      if (dataDir) {
        mkdirSync(join(dataDir, kind), { recursive: true });
        // Restored after a restart (restore below): a kill mid-write must leave no truncated file behind.
        const location = join(dataDir, filePath);
        writeFileSync(`${location}.tmp`, bytes);
        renameSync(`${location}.tmp`, location);
      }
      return file;
    },
    byId: (fileId) => byId.get(fileId),
    byPath: (filePath) => byPath.get(filePath),
    list: () => [...byId.values()].map(({ bytes: _bytes, ...meta }) => meta),
    restore(meta) {
      if (!dataDir) return false;
      const location = join(dataDir, meta.filePath);
      if (!existsSync(location)) return false;
      const file: StoredFile = { ...meta, bytes: readFileSync(location) };
      byId.set(file.fileId, file);
      byPath.set(file.filePath, file);
      const number = Number(/file_(\d+)_/.exec(meta.filePath)?.[1] ?? 0);
      if (number > counter) counter = number;
      return true;
    },
  };
}

/** Width and height from a PNG IHDR or a JPEG SOF segment; Telegram reports both for every photo size. */
export function imageSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47) {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let offset = 2;
    while (offset + 9 < bytes.length) {
      if (bytes[offset] !== 0xff) return undefined;
      const marker = bytes[offset + 1];
      const length = bytes.readUInt16BE(offset + 2);
      const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isStartOfFrame) return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
      offset += 2 + length;
    }
  }
  return undefined;
}

export function guessMime(fileName: string): string {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  const known: Record<string, string> = {
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    pdf: 'application/pdf',
    txt: 'text/plain',
    md: 'text/markdown',
    csv: 'text/csv',
    json: 'application/json',
    docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  };
  return known[ext] ?? 'application/octet-stream';
}
