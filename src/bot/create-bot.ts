/**
 * createBot: the grammY bot with ITA's plugins, the authorization filter, one command registry, one error boundary,
 * and the outward API the engine's notifier uses (sendSignal, notifyText).
 * Order matters: authorization first (strangers reach nothing), then per-chat sequencing, session, language,
 * conversations, button handlers, commands, and last the catch-alls (documents, plain-text questions).
 */
import { Bot, Composer, InputFile, session, type Context } from 'grammy';
import { conversations, createConversation, type ConversationData, type VersionedState } from '@grammyjs/conversations';
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner';
import type { APIThrottlerOptions } from '@grammyjs/transformer-throttler';
import { paceOutgoing } from './transport/pacing.ts';
import type { Signal } from '../engine/types.ts';
import type { Logger } from '../logger.ts';
import { authorizationFilter } from './auth.ts';
import { CommandRegistry, type CommandSpec } from './commands/registry.ts';
import type { BotContext, BotSession } from './context.ts';
import { errorBoundary, runDetached } from './error-boundary.ts';
import type { FeatureDeps } from './feature.ts';
import { languageFromCode, translator } from './i18n/index.ts';
import type { BotServices, Language, UserSettings } from './services.ts';
import type { BotSessionStore } from './session/sqlite-storage.ts';
import { SignalRefs } from './signals/refs.ts';
import { installSignalCallbacks } from './signals/callbacks.ts';
import { digestMessage, installDigestCallbacks, type OpenSignal } from './signals/digest.ts';
import type { BurstPage } from '../engine/live/burst.ts';
import { signalCaption, signalKeyboard } from './signals/signal-message.ts';
import { installCoreCommands } from './commands/core.ts';
import { installMarketCommands } from './commands/markets.ts';
import { installSetupCommands } from './commands/setups.ts';
import { installSettings } from './settings/settings.ts';
import { installKnowledge } from './knowledge/knowledge.ts';
import { BACKTEST_CONVERSATION, backtestConversation, installBacktest } from './backtest/backtest.ts';
import { BacktestJobs } from './backtest/jobs.ts';
import { installLab } from './lab/lab.ts';
import { installTheory } from './lab/theory.ts';
import { CallbackAnswers, notModifiedIsSuccess } from './transport/callback-answers.ts';
import { connectWithRetry, DEFAULT_CONNECT_POLICY, type ConnectPolicy } from './transport/startup.ts';
import { startWebhookServer, type WebhookOptions, type WebhookServer } from './transport/webhook.ts';
import { droppedNotice, type DroppedDelivery } from './transport/dropped-notice.ts';
import { Pager } from './render/pages.ts';
import { TEXT_LIMIT, truncateHtml } from './render/telegram-text.ts';

export interface CreateBotOptions {
  token: string;
  /** Bot API server; the local emulator in tests and offline mode. */
  apiRoot?: string;
  services: BotServices;
  allowedUserIds: number[];
  allowedChatIds: number[];
  defaultSettings: UserSettings;
  logger: Logger;
  sessionStore: BotSessionStore;
  /** Exchange assumed when /watch or /chart names none. */
  defaultExchange?: string;
  /** Commands of other modules; more can be added later with `ita.commands.register(...)`. */
  extraCommands?: CommandSpec[];
  /** Sends a signal's card when its line in a burst digest is tapped (the app's signal delivery). */
  openSignal?: OpenSignal;
  /** Outgoing rate limits; defaults are the plugin's (Telegram's published limits). */
  throttle?: APIThrottlerOptions;
  autoRetry?: { maxRetryAttempts?: number; maxDelaySeconds?: number };
  progressIntervalMs?: number;
  /** Long polling (default) or a webhook server; see README "Deployment". */
  transport?: { mode: 'polling' } | ({ mode: 'webhook' } & WebhookOptions);
  /** Start-up retries while Telegram is unreachable. */
  connect?: Partial<ConnectPolicy>;
  /** A press not answered by its handler within this time gets "working on it" (default 300 ms). */
  callbackPromptMs?: number;
}

export interface ItaBot {
  bot: Bot<BotContext>;
  commands: CommandRegistry;
  start(): Promise<void>;
  stop(): Promise<void>;
  sendSignal(chatId: number, signal: Signal, png: Buffer, comment?: string): Promise<{ messageId: number }>;
  /** One page of a burst digest (the delivery worker calls it when many signals arrive at one close). */
  sendDigest(chatId: number, page: BurstPage): Promise<{ messageId: number }>;
  notifyText(chatId: number, html: string): Promise<{ messageId: number }>;
  /** One message telling the trader which deliveries were dropped (the delivery worker calls it). */
  notifyDropped(chatId: number, dropped: DroppedDelivery[]): Promise<void>;
  /** Handlers of features installed after createBot (e.g. execution); they run before the stale-button notice. */
  handlers: Composer<BotContext>;
  /** The bytes of a file the trader sent (getFile's file_path), from this bot's Bot API server. */
  download(filePath: string): Promise<Buffer>;
  /** Resolves once Telegram was reached and updates flow (start() itself does not wait past the first failure). */
  ready(): Promise<void>;
}

export function createBot(options: CreateBotOptions): ItaBot {
  const logger = options.logger.child({ module: 'bot' });
  const bot = new Bot<BotContext>(options.token, { client: { apiRoot: options.apiRoot } });
  const answers = new CallbackAnswers(() => bot.api, logger, options.callbackPromptMs);
  paceOutgoing(bot.api, options);
  bot.api.config.use(notModifiedIsSuccess());
  bot.api.config.use(answers.transformer());

  const registry = new CommandRegistry(() => (bot.isInited() ? bot.botInfo.username : undefined));
  for (const spec of options.extraCommands ?? []) registry.register(spec);
  const sessionStorage = options.sessionStore.adapter<BotSession>('session');
  const refs = new SignalRefs(options.sessionStore.adapter<string>('signal-ref'));
  const tracked = new Set<Promise<void>>();
  const jobs = new BacktestJobs();
  // Lab runs and theory tests: one at a time per chat, beside (not blocking) a backtest.
  const labJobs = new BacktestJobs();

  if (options.allowedUserIds.length === 0) {
    logger.warn('TELEGRAM ALLOWLIST IS EMPTY: the bot will answer NOBODY. Set telegram.allowedUserIds to your user id.');
  }
  // Strangers reach nothing, not even an answer to a press; everyone else's presses are answered promptly.
  bot.use(authorizationFilter(options, logger));
  bot.use(answers.middleware());
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));
  bot.use(session({ initial: (): BotSession => ({}), storage: sessionStorage, getSessionKey: (ctx) => ctx.from?.id.toString() }));
  bot.use(async (ctx, next) => {
    const clientLanguage = languageFromCode(ctx.from?.language_code, options.defaultSettings.language);
    if (ctx.from && ctx.session.clientLanguage !== clientLanguage) ctx.session.clientLanguage = clientLanguage;
    ctx.lang = ctx.session.language ?? clientLanguage;
    ctx.t = translator(ctx.lang);
    await next();
  });
  bot.use(
    conversations<BotContext, Context>({
      // Conversations build their own Api without our transformers; the backtest dialog therefore makes its Telegram
      // calls through conversation.external with bot.api (see backtest/backtest.ts).
      storage: { type: 'key', adapter: options.sessionStore.adapter<VersionedState<ConversationData>>('conversation') },
    }),
  );

  const lateHandlers = new Composer<BotContext>();
  const settingsCache = new WeakMap<BotContext, Promise<UserSettings>>();
  const deps: FeatureDeps = {
    services: options.services,
    logger,
    registry,
    handlers: new Composer<BotContext>(),
    pages: undefined as unknown as Pager,
    refs,
    defaultExchange: options.defaultExchange ?? 'binance',
    progressIntervalMs: options.progressIntervalMs ?? 1000,
    settingsOf(ctx) {
      let found = settingsCache.get(ctx);
      if (!found) {
        found = ctx.from ? options.services.settings.get(ctx.from.id) : Promise.resolve(options.defaultSettings);
        settingsCache.set(ctx, found);
      }
      return found;
    },
    detached(target, what, work) {
      runDetached(work, { api: bot.api, ...target, logger, what }, tracked);
    },
    api: () => bot.api,
    async download(filePath) {
      const root = options.apiRoot ?? 'https://api.telegram.org';
      const response = await fetch(`${root}/file/bot${options.token}/${filePath}`);
      if (!response.ok) throw new Error(`file download failed with HTTP ${response.status}`);
      return Buffer.from(await response.arrayBuffer());
    },
  };

  deps.pages = new Pager(deps.handlers);
  bot.use(createConversation(backtestConversation(deps, jobs), BACKTEST_CONVERSATION));
  installSignalCallbacks(deps);
  installDigestCallbacks(deps, options.openSignal);
  installCoreCommands(deps);
  installMarketCommands(deps);
  installSetupCommands(deps);
  installSettings(deps);
  installBacktest(deps, jobs);
  installLab(deps, labJobs);
  installTheory(deps, labJobs);
  bot.use(deps.handlers);
  bot.use(registry.middleware());
  installKnowledge(deps, bot);
  bot.use(lateHandlers);
  bot.use(answers.terminal());
  bot.catch(errorBoundary(logger));

  let runner: RunnerHandle | undefined;
  let webhook: WebhookServer | undefined;
  let stopping = new AbortController();
  let connected: Promise<void> = Promise.resolve();
  const transport = options.transport ?? { mode: 'polling' as const };
  const allowedUpdates = ['message', 'callback_query'] as const;

  /** After getMe succeeded: the command menu, then updates by webhook or long polling. */
  const begin = async () => {
    await registry.publish(bot.api).catch((error) => logger.warn('command menu not published', { error: error instanceof Error ? error.message : String(error) }));
    if (stopping.signal.aborted) return;
    if (transport.mode === 'webhook') {
      webhook = await startWebhookServer(bot, transport, logger);
      await bot.api.setWebhook(transport.url, { secret_token: transport.secretToken, allowed_updates: [...allowedUpdates] });
    } else {
      // A webhook left from an earlier deployment would make every getUpdates fail with 409.
      await bot.api.deleteWebhook();
      runner = run(bot, { runner: { fetch: { allowed_updates: [...allowedUpdates] } } });
    }
    logger.info('telegram bot started', { username: bot.botInfo.username, mode: transport.mode, allowedUsers: options.allowedUserIds.length });
  };

  const languageOfChat = async (chatId: number): Promise<{ language: Language; timeZone: string }> => {
    const [stored, settings] = await Promise.all([sessionStorage.read(String(chatId)), options.services.settings.get(chatId)]);
    return { language: stored?.language ?? stored?.clientLanguage ?? settings.language, timeZone: settings.timezone };
  };

  return {
    bot,
    commands: registry,
    handlers: lateHandlers,
    download: (filePath) => deps.download(filePath),
    ready: () => connected,
    async start() {
      stopping = new AbortController();
      let firstAttemptFailed: () => void = () => undefined;
      const failedOnce = new Promise<void>((resolve) => (firstAttemptFailed = resolve));
      const policy = { ...DEFAULT_CONNECT_POLICY, ...options.connect };
      connected = connectWithRetry(bot, logger, stopping.signal, policy, options.apiRoot, firstAttemptFailed).then(begin);
      // Telegram down at start-up must not keep the rest of ITA (feeds, journal, outbox) from running.
      await Promise.race([connected, failedOnce]);
      connected.catch((error) => logger.error('telegram bot could not start', { error: error instanceof Error ? error.message : String(error) }));
    },
    async stop() {
      stopping.abort();
      await connected.catch(() => undefined);
      if (runner?.isRunning()) await runner.stop();
      runner = undefined;
      await webhook?.close();
      webhook = undefined;
      jobs.cancelAll();
      labJobs.cancelAll();
      await Promise.allSettled([...tracked]);
    },
    async sendSignal(chatId, signal, png, comment) {
      const { language, timeZone } = await languageOfChat(chatId);
      const [ref, setup] = await Promise.all([refs.remember(signal.id), options.services.setups.get(signal.setupId)]);
      const stats = setup && setup.version === signal.setupVersion ? setup.stats : undefined;
      const caption = signalCaption({ signal, language, timeZone, stats, comment });
      const sent = await bot.api.sendPhoto(chatId, new InputFile(png, `${signal.symbol.replace('/', '')}-${signal.timeframe}.png`), {
        caption,
        parse_mode: 'HTML',
        reply_markup: signalKeyboard(ref, language),
      });
      return { messageId: sent.message_id };
    },
    async sendDigest(chatId, page) {
      const { language, timeZone } = await languageOfChat(chatId);
      const lineRefs = await Promise.all(page.listed.map((signal) => refs.remember(signal.id)));
      const message = digestMessage(page, lineRefs, language, timeZone);
      const sent = await bot.api.sendMessage(chatId, message.html, { parse_mode: 'HTML', reply_markup: message.keyboard });
      return { messageId: sent.message_id };
    },
    async notifyText(chatId, html) {
      // Engine notices are built from data of any length; Telegram refuses more than 4,096 characters.
      const sent = await bot.api.sendMessage(chatId, truncateHtml(html, TEXT_LIMIT), { parse_mode: 'HTML' });
      return { messageId: sent.message_id };
    },
    async notifyDropped(chatId, dropped) {
      if (dropped.length === 0) return;
      const { language, timeZone } = await languageOfChat(chatId);
      await bot.api.sendMessage(chatId, droppedNotice(dropped, language, timeZone), { parse_mode: 'HTML' });
    },
  };
}
