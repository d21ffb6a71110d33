/**
 * The web chat: a phone-style page on 127.0.0.1 through which a person uses the bot running against the emulator.
 * The page talks JSON to this server; updates reach it by Server-Sent Events.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiUser } from '../api-types.ts';
import type { BotApiEmulator } from '../emulator.ts';
import type { EmulatorEvent } from '../emulator-state.ts';
import { readBody } from '../request-params.ts';
import { chatPageHtml } from './page.ts';
import { toMessageView } from './view-model.ts';

export interface WebChatOptions {
  emulator: BotApiEmulator;
  port?: number;
  host?: string;
  /** Who the person at the browser is; defaults to the emulator's owner. */
  user?: ApiUser | number;
}

export type WebChat = ReturnType<typeof createWebChat>;

/** The web chat keeps uploads in memory; Telegram itself accepts up to 2 GB, but bots may download only 20 MB. */
export const MAX_WEB_UPLOAD_BYTES = 256 * 1024 * 1024;
const tooBigText = `The web chat accepts files up to ${MAX_WEB_UPLOAD_BYTES / 1048576} MB (it keeps them in memory). `
  + 'Note that on Telegram a bot can download files of at most 20 MB (Bot API getFile), so ITA refuses larger documents anyway.';

async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpProblem(413, tooBigText);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

class HttpProblem extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function createWebChat(options: WebChatOptions) {
  const { emulator } = options;
  const host = options.host ?? '127.0.0.1';
  const userId = typeof options.user === 'number' ? options.user : (options.user?.id ?? emulator.owner.id);
  emulator.user(userId); // fail at construction, not on the first request, when the user is unknown
  const user = (): ApiUser => emulator.user(userId);
  let server: Server | undefined;
  let baseUrl = '';

  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));

  const readJson = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
    // Requiring JSON keeps other web pages from posting here: a cross-origin JSON POST needs a preflight we never grant.
    if (!(req.headers['content-type'] ?? '').includes('application/json')) throw new HttpProblem(415, 'expected application/json');
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      throw new HttpProblem(413, tooBigText);
    }
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
    } catch {
      // fall through to the error below
    }
    throw new HttpProblem(400, 'body must be a JSON object');
  };

  const state = () => ({
    me: user(),
    bot: emulator.botInfo,
    messages: emulator.messages(userId).map(toMessageView),
    commands: emulator.commandsFor(userId),
  });

  const events = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    const send = (name: string, data: unknown) => res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    send('hello', { at: Date.now() });
    const unsubscribe = emulator.subscribe((event: EmulatorEvent) => {
      if (event.type === 'message' && event.chatId === userId) send('message', toMessageView(event.message));
      else if (event.type === 'edit' && event.chatId === userId) send('edit', toMessageView(event.message));
      else if (event.type === 'delete' && event.chatId === userId) send('delete', { id: event.messageId });
      else if (event.type === 'chat_action' && event.chatId === userId) send('action', { action: event.action });
      else if (event.type === 'commands') send('commands', emulator.commandsFor(userId));
      else if (event.type === 'callback_answer' && event.answer.chatId === userId) send('answer', event.answer);
    });
    // Comments keep idle proxies and browsers from dropping the stream.
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  };

  const serveFile = (res: ServerResponse, fileId: string, download: boolean) => {
    const file = emulator.file(fileId);
    if (!file) throw new HttpProblem(404, 'no such file');
    const headers: Record<string, string | number> = { 'content-type': file.mimeType, 'content-length': file.bytes.length };
    if (download) headers['content-disposition'] = `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`;
    res.writeHead(200, headers).end(file.bytes);
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://web-chat');
    const path = url.pathname;
    if (req.method === 'GET' && path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(chatPageHtml());
    } else if (req.method === 'GET' && path === '/api/state') {
      json(res, 200, state());
    } else if (req.method === 'GET' && path === '/api/events') {
      events(req, res);
    } else if (req.method === 'GET' && path.startsWith('/files/')) {
      serveFile(res, decodeURIComponent(path.slice('/files/'.length)), url.searchParams.has('download'));
    } else if (req.method === 'POST' && path === '/api/send') {
      const body = await readJson(req);
      if (typeof body.text !== 'string' || body.text.trim() === '') throw new HttpProblem(400, 'text must be a non-empty string');
      json(res, 200, toMessageView(emulator.userSendText(userId, body.text)));
    } else if (req.method === 'POST' && path === '/api/press') {
      const body = await readJson(req);
      json(res, 200, { id: emulator.userPressButton(Number(body.messageId), String(body.data), userId) });
    } else if (req.method === 'POST' && path === '/api/upload-file') {
      // The raw file as the body (no base64, no JSON): large files stream in without tripling in memory.
      const name = url.searchParams.get('name');
      if (!name) throw new HttpProblem(400, 'name is required');
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > MAX_WEB_UPLOAD_BYTES) {
        req.resume();
        throw new HttpProblem(413, tooBigText);
      }
      const bytes = await readLimited(req, MAX_WEB_UPLOAD_BYTES);
      const caption = url.searchParams.get('caption') || undefined;
      const mime = url.searchParams.get('mime') || undefined;
      json(res, 200, toMessageView(emulator.userUploadDocument(name, bytes, mime, caption, userId)));
    } else if (req.method === 'POST' && path === '/api/upload') {
      const body = await readJson(req);
      if (typeof body.name !== 'string' || typeof body.base64 !== 'string') throw new HttpProblem(400, 'name and base64 are required');
      const bytes = Buffer.from(body.base64, 'base64');
      const caption = typeof body.caption === 'string' && body.caption ? body.caption : undefined;
      const mime = typeof body.mime === 'string' && body.mime ? body.mime : undefined;
      json(res, 200, toMessageView(emulator.userUploadDocument(body.name, bytes, mime, caption, userId)));
    } else {
      throw new HttpProblem(404, 'not found');
    }
  };

  return {
    get url(): string {
      if (!baseUrl) throw new Error('web chat: call start() first');
      return baseUrl;
    },
    async start(): Promise<void> {
      if (server) return;
      server = createServer((req, res) => {
        route(req, res).catch((error: unknown) => {
          const status = error instanceof HttpProblem ? error.status : 400;
          if (!res.headersSent) json(res, status, { error: (error as Error).message });
        });
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(options.port ?? 8080, host, () => resolve());
      });
      baseUrl = `http://${host}:${(server.address() as AddressInfo).port}`;
    },
    async stop(): Promise<void> {
      const closing = server;
      server = undefined;
      if (!closing) return;
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        closing.closeAllConnections();
      });
    },
  };
}
