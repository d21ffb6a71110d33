/**
 * The web chat's history on disk, so a restart of `npm start` does not wipe the conversation: every chat's
 * transcript, the message counter and the index of stored files (their bytes are already on disk beside it).
 * Written atomically (temp file + rename) shortly after each change; read once at start.
 */
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EmulatorState, TranscriptMessage } from './emulator-state.ts';
import type { StoredFileMeta } from './file-store.ts';

interface HistoryFile {
  version: 1;
  nextMessageId: number;
  chats: Array<{ userId: number; messages: TranscriptMessage[] }>;
  files: StoredFileMeta[];
}

export function loadHistory(state: EmulatorState, file: string): void {
  if (!existsSync(file)) return;
  let history: HistoryFile;
  try {
    history = JSON.parse(readFileSync(file, 'utf8')) as HistoryFile;
  } catch {
    return; // a damaged history starts an empty chat rather than stopping the emulator
  }
  for (const meta of history.files ?? []) state.files.restore(meta);
  for (const { userId, messages } of history.chats ?? []) {
    const user = state.users.get(userId);
    if (!user) continue;
    const record = state.chatOfUser(user);
    for (const message of messages) record.messages.set(message.message_id, message);
  }
  state.restoreMessageCounter(history.nextMessageId ?? 1);
}

/** Saves after changes (coalesced); returns a function that writes any pending change and stops. */
export function keepHistory(state: EmulatorState, file: string, delayMs = 200): () => void {
  let timer: NodeJS.Timeout | undefined;
  const write = () => {
    timer = undefined;
    const history: HistoryFile = {
      version: 1,
      nextMessageId: state.peekMessageCounter(),
      chats: [...state.chats.values()].map((record) => ({ userId: record.user.id, messages: [...record.messages.values()] })),
      files: state.files.list(),
    };
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(history));
    renameSync(`${file}.tmp`, file);
  };
  const unsubscribe = state.subscribe((event) => {
    if (event.type !== 'message' && event.type !== 'edit' && event.type !== 'delete') return;
    if (!timer) timer = setTimeout(write, delayMs);
  });
  return () => {
    unsubscribe();
    if (timer) {
      clearTimeout(timer);
      write();
    }
  };
}
