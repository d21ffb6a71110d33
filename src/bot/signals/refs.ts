/**
 * Signal ids are long (setup@version:exchange:symbol:tf:ts:side) and callback data is limited to 64 bytes, so the
 * buttons carry a short reference derived from the id; the bot keeps ref → id in its SQLite store.
 */
import { createHash } from 'node:crypto';
import type { StorageAdapter } from 'grammy';

export const REF_PATTERN = '[A-Za-z0-9_-]{10}';

export function signalRef(signalId: string): string {
  return createHash('sha256').update(signalId).digest('base64url').slice(0, 10);
}

export class SignalRefs {
  constructor(private readonly storage: StorageAdapter<string>) {}

  async remember(signalId: string): Promise<string> {
    const ref = signalRef(signalId);
    await this.storage.write(ref, signalId);
    return ref;
  }

  async resolve(ref: string): Promise<string | undefined> {
    return this.storage.read(ref);
  }
}
