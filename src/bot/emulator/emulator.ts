/**
 * A local Telegram Bot API: the real grammY bot talks to it through `client.apiRoot`, tests and the web chat play
 * the human through its user-side methods. Only 127.0.0.1 by default; nothing leaves the machine.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiBotCommand, ApiUser } from './api-types.ts';
import { BotApiError, faultToError, notFound, unauthorized, type InjectedFault } from './api-error.ts';
import { EmulatorState, type CallbackAnswer, type CommandSet, type EmulatorEvent, type TranscriptMessage } from './emulator-state.ts';
import type { StoredFile } from './file-store.ts';
import { messageMethods, type MethodHandler } from './message-methods.ts';
import { readParams } from './request-params.ts';
import { keepHistory, loadHistory } from './history-store.ts';
import { startWebhookPusher } from './webhook-pusher.ts';
import { FloodControl, TELEGRAM_FLOOD_LIMITS, type FloodLimits } from './flood-control.ts';
import { serviceMethods } from './service-methods.ts';
import { pressButton, resolveUser, sendText, uploadDocument, uploadPhoto, type UserRef } from './user-actions.ts';

export interface BotApiEmulatorOptions {
  token?: string;
  port?: number;
  host?: string;
  /** With a directory, uploaded and sent files are also written there. */
  dataDir?: string;
  now?: () => number;
  bot?: { id: number; first_name: string; username: string };
  /** Defaults: an owner (id 100001, language ru) and a stranger (id 200002, language en). */
  users?: Array<Omit<ApiUser, 'is_bot'>>;
  /** Flood control answering 429 with retry_after; off unless given (true = Telegram's limits). */
  flood?: boolean | Partial<FloodLimits>;
  /** Accept http://127.0.0.1 webhooks (tests); Telegram requires HTTPS. */
  allowHttpWebhook?: boolean;
  /** Keep every chat's transcript in this JSON file across restarts (the web chat's history). */
  historyFile?: string;
  /** A press must be answered within this time, as on Telegram (default 15 s). */
  callbackTimeoutMs?: number;
}

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
}

export type BotApiEmulator = ReturnType<typeof createBotApiEmulator>;

export const DEFAULT_TOKEN = '123456:emulator-token';

export function createBotApiEmulator(options: BotApiEmulatorOptions = {}) {
  const token = options.token ?? DEFAULT_TOKEN;
  const host = options.host ?? '127.0.0.1';
  const botId = Number(token.split(':')[0]) || 123456;
  const bot: ApiUser = { id: botId, is_bot: true, first_name: 'ITA', username: 'ita_emulator_bot', ...options.bot };
  const state = new EmulatorState(bot, options.now ?? Date.now, options.dataDir);
  state.callbackTimeoutMs = options.callbackTimeoutMs ?? 15_000;
  const flood = options.flood
    ? new FloodControl({ ...TELEGRAM_FLOOD_LIMITS, ...(options.flood === true ? {} : options.flood) }, options.now ?? Date.now)
    : undefined;
  const users = options.users ?? [
    { id: 100001, first_name: 'Owner', username: 'owner', language_code: 'ru' },
    { id: 200002, first_name: 'Stranger', username: 'stranger', language_code: 'en' },
  ];
  for (const user of users) state.addUser(user);
  if (options.historyFile) loadHistory(state, options.historyFile);
  state.allowHttpWebhook = options.allowHttpWebhook ?? false;
  const stopPusher = startWebhookPusher(state);
  let stopHistory: (() => void) | undefined;
  const methods = new Map<string, [string, MethodHandler]>(
    Object.entries({ ...messageMethods(state), ...serviceMethods(state) }).map(([name, handler]) => [name.toLowerCase(), [name, handler]]),
  );
  const faults = new Map<string, InjectedFault[]>();
  const calls: ApiCall[] = [];
  /** Every refusal the emulator answered with (what real Telegram would have refused too). */
  const refusals: Array<{ method: string; code: number; description: string }> = [];
  let server: Server | undefined;
  let baseUrl = '';

  const handleMethod = async (req: IncomingMessage, res: ServerResponse, url: URL, requestToken: string, methodName: string) => {
    if (requestToken !== token) throw unauthorized();
    const entry = methods.get(methodName.toLowerCase());
    if (!entry) throw notFound();
    const [method, handler] = entry;
    const params = await readParams(req, url);
    calls.push({ method, params: params.values });
    state.emit({ type: 'api_call', method });
    const fault = faults.get(method.toLowerCase())?.shift();
    if (fault) throw faultToError(fault);
    const chatId = Number(params.values.chat_id);
    flood?.check(method, Number.isFinite(chatId) ? chatId : undefined);
    const aborted = new AbortController();
    res.on('close', () => aborted.abort());
    return handler(params, aborted.signal);
  };

  const serveFile = (res: ServerResponse, requestToken: string, filePath: string) => {
    const file = requestToken === token ? state.files.byPath(decodeURIComponent(filePath)) : undefined;
    if (!file) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify(notFound().toBody()));
      return;
    }
    res.writeHead(200, { 'content-type': file.mimeType, 'content-length': file.bytes.length }).end(file.bytes);
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const fileRoute = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileRoute) return serveFile(res, fileRoute[1], fileRoute[2]);
    const route = /^\/bot([^/]+)\/([A-Za-z]+)\/?$/.exec(url.pathname);
    try {
      if (!route) throw notFound();
      const result = await handleMethod(req, res, url, route[1], route[2]);
      if (!res.writableEnded) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result }));
    } catch (error) {
      const apiError = error instanceof BotApiError ? error : new BotApiError(500, `Internal Server Error: ${(error as Error).message}`);
      refusals.push({ method: route?.[2] ?? url.pathname, code: apiError.code, description: apiError.description });
      if (!res.writableEnded && !res.destroyed) {
        res.writeHead(apiError.code, { 'content-type': 'application/json' }).end(JSON.stringify(apiError.toBody()));
      }
    }
  };

  const userOf = (ref: UserRef | undefined) => resolveUser(state, ref ?? users[0].id);

  return {
    token,
    botInfo: bot,
    get owner(): ApiUser { return userOf(users[0].id); },
    get stranger(): ApiUser { return userOf(users[1]?.id ?? users[0].id); },
    get url(): string {
      if (!baseUrl) throw new Error('emulator: call start() first');
      return baseUrl;
    },
    /** What grammY's `client.apiRoot` should be. */
    get apiRoot(): string { return this.url; },
    async start(): Promise<void> {
      if (server) return;
      if (options.historyFile && !stopHistory) stopHistory = keepHistory(state, options.historyFile);
      server = createServer((req, res) => void onRequest(req, res));
      // Longer than the client agent keeps idle sockets, so the server never closes one a request is about to reuse.
      server.keepAliveTimeout = 30_000;
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(options.port ?? 0, host, () => resolve());
      });
      const address = server.address() as AddressInfo;
      baseUrl = `http://${host}:${address.port}`;
    },
    async stop(): Promise<void> {
      state.queue.releaseWaiter();
      stopHistory?.();
      stopHistory = undefined;
      stopPusher();
      const closing = server;
      server = undefined;
      if (!closing) return;
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        closing.closeAllConnections();
      });
    },
    addUser: (user: Omit<ApiUser, 'is_bot'>): ApiUser => state.addUser(user),
    user: (ref: UserRef): ApiUser => userOf(ref),
    /** Simulates "the user blocked the bot": every bot call to this chat answers 403. */
    setBlocked(user: UserRef, blocked = true): void {
      state.chatOfUser(userOf(user)).blocked = blocked;
    },
    userSendText: (user: UserRef, text: string, options: { replyToMessageId?: number } = {}): TranscriptMessage =>
      sendText(state, user, text, options.replyToMessageId),
    userPressButton: (messageId: number, callbackData: string, user?: UserRef): string =>
      pressButton(state, userOf(user), messageId, callbackData),
    userUploadDocument: (name: string, bytes: Uint8Array, mime?: string, caption?: string, user?: UserRef): TranscriptMessage =>
      uploadDocument(state, userOf(user), { name, bytes, mime, caption }),
    userUploadPhoto: (bytes: Uint8Array, caption?: string, user?: UserRef): TranscriptMessage => uploadPhoto(state, userOf(user), { bytes, caption }),
    /** The chat as a person sees it now: edits applied, deleted messages gone, oldest first. */
    messages(chatId: number | ApiUser): TranscriptMessage[] {
      const id = typeof chatId === 'number' ? chatId : chatId.id;
      const record = state.chats.get(id);
      return record ? [...record.messages.values()].sort((a, b) => a.message_id - b.message_id).map((m) => structuredClone(m)) : [];
    },
    file: (fileId: string): StoredFile | undefined => state.files.byId(fileId),
    fileUrl(filePath: string): string {
      return `${this.url}/file/bot${token}/${filePath}`;
    },
    get callbackAnswers(): CallbackAnswer[] { return [...state.callbackAnswers]; },
    get commands(): CommandSet[] { return [...state.commandSets.values()]; },
    /** The command menu a user sees, resolved through scopes and languages in Telegram's order. */
    commandsFor(user: UserRef): ApiBotCommand[] {
      const { id, language_code: language = '' } = userOf(user);
      const scopes = [{ type: 'chat', chat_id: id }, { type: 'all_private_chats' }, { type: 'default' }];
      for (const scope of scopes) {
        for (const lang of language ? [language, ''] : ['']) {
          const found = state.commandsFor(scope, lang);
          if (found) return structuredClone(found);
        }
      }
      return [];
    },
    get calls(): ApiCall[] { return [...calls]; },
    get refusals(): Array<{ method: string; code: number; description: string }> { return [...refusals]; },
    /** Presses the bot has not answered (yet). */
    get unansweredPresses(): Array<{ id: string; data?: string; pressedAt?: number }> {
      return [...state.pendingCallbacks].filter(([, p]) => !p.answered).map(([id, p]) => ({ id, data: p.data, pressedAt: p.pressedAt }));
    },
    get isPolling(): boolean { return state.queue.isPolling; },
    /** The next `times` calls of `method` answer with this error instead of running (e.g. 429 with retry_after). */
    failNext(method: string, fault: InjectedFault, times = 1): void {
      const list = faults.get(method.toLowerCase()) ?? [];
      for (let i = 0; i < times; i += 1) list.push(fault);
      faults.set(method.toLowerCase(), list);
    },
    subscribe: (listener: (event: EmulatorEvent) => void): (() => void) => state.subscribe(listener),
    /** Resolves with the predicate's first truthy value, re-checked on every emulator event (no sleeping loops). */
    waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = (): boolean => {
          const value = predicate();
          if (!value) return false;
          cleanup();
          resolve(value);
          return true;
        };
        const unsubscribe = state.subscribe(() => void check());
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`emulator.waitFor: ${what} not met within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          unsubscribe();
          clearTimeout(timer);
        };
        check();
      });
    },
  };
}
