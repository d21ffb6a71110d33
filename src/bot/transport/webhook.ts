/**
 * Webhook mode: Telegram POSTs each update to a public HTTPS URL (usually a reverse proxy in front of this server).
 * grammY's webhook adapter for Node's http module checks the X-Telegram-Bot-Api-Secret-Token header (401
 * otherwise); only the configured path is served. A slow update answers the request after `timeoutMs` and keeps
 * running, so Telegram does not deliver it a second time.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webhookCallback, type Bot } from 'grammy';
import type { Logger } from '../../logger.ts';
import type { BotContext } from '../context.ts';

export interface WebhookOptions {
  /** The public HTTPS URL Telegram posts to, e.g. https://bot.example.com/telegram. */
  url: string;
  /** Secret for the X-Telegram-Bot-Api-Secret-Token header: 1–256 of A-Z a-z 0-9 _ -. */
  secretToken: string;
  /** Local address of this server (behind the proxy). */
  host: string;
  port: number;
  /** Path served; defaults to the URL's path. */
  path?: string;
  timeoutMs?: number;
}

export interface WebhookServer {
  port: number;
  close(): Promise<void>;
}

export async function startWebhookServer(bot: Bot<BotContext>, options: WebhookOptions, logger: Logger): Promise<WebhookServer> {
  const path = options.path ?? (new URL(options.url).pathname || '/');
  const handle = webhookCallback(bot, 'http', { secretToken: options.secretToken, onTimeout: 'return', timeoutMilliseconds: options.timeoutMs ?? 9_000 });
  const server: Server = createServer((req, res) => {
    const requestPath = new URL(req.url ?? '/', 'http://webhook').pathname;
    if (req.method !== 'POST' || requestPath !== path) {
      res.writeHead(404).end();
      return;
    }
    handle(req, res).catch((error: unknown) => {
      logger.error('webhook update failed', { error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  logger.info('webhook server listening', { host: options.host, port, path });
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
