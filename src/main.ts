/**
 * Composition root: config → logger → governance → database (+ migrations) → setups, knowledge, LLM, backtests →
 * paper and live brokers → executor → Telegram (real, or the local emulator + web chat when no token is set) → bot →
 * one candle feed (the exchange polled, or the bundled sample market replayed). The only place that wires services
 * together; the pieces it wires live in src/app and the engine. Graceful shutdown on signals.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, secretsOf, type Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { openLogFiles } from './log-files.ts';
import { createMetrics } from './ops/metrics.ts';
import { startMetricsServer } from './ops/metrics-server.ts';
import { countBacktestJobs, liveEventRecorder, recordExecutorEvents, scrapeState } from './app/metrics-wiring.ts';
import { openQueueFromConfig, scrapeQueue } from './app/queue-wiring.ts';
import { describeError } from './engine/errors.ts';
import { openDatabase } from './engine/store/database.ts';
import { databaseTarget, redactUrl } from './engine/store/dialect.ts';
import { allMigrations } from './app/store-migrations.ts';
import type { ItaDatabase } from './app/database.ts';
import type { Database } from './engine/store/schema.ts';
import { asArea } from './engine/store/area.ts';
import { loadGovernance } from './engine/risk/governance.ts';
import { loadSetupsDir } from './engine/setups/index.ts';
import { createSetupRegistry } from './engine/journal/setup-registry.ts';
import { createEngineServices, traderMinScore, type LiveRuntime } from './engine/services/index.ts';
import { createBacktestServiceFromConfig, tradingPolicy } from './app/backtest-settings.ts';
import { openKnowledgeBase } from './knowledge/index.ts';
import { embeddingFromConfig } from './knowledge/embedding/create.ts';
import { createLlmLayer } from './knowledge/llm/index.ts';
import { createBot, createSqliteSessionStore, type ItaBot } from './bot/index.ts';
import { startOfflineTelegram, type BotApiEmulator } from './bot/emulator/index.ts';
import { transportFromConfig } from './bot/transport/from-config.ts';
import {
  installExecutionFeature, notifyExecutorEvents, scheduleReports, resolvedApprovalsText, sendReconciliationReport, telegramReportSender,
} from './bot/execution/index.ts';
import { createKnowledgeService } from './app/knowledge-service.ts';
import { createLabServicesFromConfig } from './app/lab-service.ts';
import { loadSetupHistory } from './app/setup-history.ts';
import { createChartService } from './app/chart-service.ts';
import { closeSharedChartPool } from './engine/charts/pool.ts';
import type { CandleFeed } from './app/feeds/candle-feed.ts';
import { exchangeFeed } from './app/feeds/exchange-feed.ts';
import { sampleFeed, validateSampleMarket } from './app/feeds/sample-feed.ts';
import { feedExecutor } from './app/executor-feed.ts';
import { signalDelivery } from './app/signal-delivery.ts';
import { openLiveAccount } from './app/live-account.ts';
import { watchReconciliation, type ReconnectBackoff } from './app/reconciliation.ts';
import { createGateway, type GatewayOptions } from './engine/market/gateway.ts';
import type { DroppedItem } from './engine/live/delivery.ts';
import type { BurstPage } from './engine/live/burst.ts';
import { createPaperBroker, createPerpPaperBroker } from './engine/exec/paper/index.ts';
import { NO_COSTS } from './engine/exec/sim/fill-model.ts';
import { createExecutor, type Executor } from './engine/exec/executor/index.ts';
import { resolvePendingApprovals } from './engine/exec/executor/recovery.ts';
import { ownerOnlyFiles } from './engine/store/file-modes.ts';
import type { Signal } from './engine/types.ts';
import { listWatched } from './engine/journal/watchlist.ts';
import { oppositeSignalMode } from './engine/backtest/detector-source.ts';
import { HealthGates } from './engine/live/health-gates.ts';
import { healthStatusLines, wireHealthGates } from './app/health-wiring.ts';
import { reportSinks } from './app/report-sinks.ts';
import { installLearningChat, startLearning } from './app/learning-wiring.ts';

/** The web chat's person when no allowlist is configured offline (the emulator's default owner). */
const OFFLINE_OWNER_ID = 100001;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface RunningIta {
  stop(): Promise<void>;
  /** The web chat address in offline mode. */
  webChatUrl?: string;
  /** The Prometheus endpoint, when metrics.port is set. */
  metricsUrl?: string;
  /** The local Bot API emulator in offline mode (tests drive the bot through it). */
  emulator?: BotApiEmulator;
  /** The market side that was picked (tests on a fake exchange clock poll it). */
  feed: CandleFeed;
}

/** What a test (or a tool) may replace when starting the shipped application; production passes nothing. */
export interface StartOverrides {
  /** The exchange side's wall clock (a test runs the exchange fake on its own clock). */
  now?: () => number;
  /** Merged over the gateway options from the configuration, e.g. `urlsOverride` to a local exchange fake. */
  gateway?: Partial<GatewayOptions>;
  /** Waits between reconnection attempts when the exchange was unreachable at start-up (tests shorten them). */
  reconnectBackoff?: ReconnectBackoff;
}

export async function startIta(config: Config, logger: Logger, overrides: StartOverrides = {}): Promise<RunningIta> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error) => logger.error('shutdown step failed', { error: describeError(error) }));
  };
  try {
    const governance = loadGovernance(config.governanceFile);
    logger.info('governance loaded', { file: config.governanceFile, riskPerTradePct: governance.risk.basePct });
    const store = await openDatabase<ItaDatabase>(databaseTarget(config), allMigrations);
    stops.push(() => store.close());
    logger.info('database ready', { store: redactUrl(databaseTarget(config)), dialect: store.dialect });

    const offline = !config.telegram.token;
    // No exchange unless asked for: without a token the whole system runs on this machine only.
    const sampleMarket = config.offline.market === 'sample' || (config.offline.market === 'auto' && offline);
    const allowedUserIds = config.telegram.allowedUserIds.length > 0 ? config.telegram.allowedUserIds : offline ? [OFFLINE_OWNER_ID] : [];

    const loaded = loadSetupsDir(config.setupsDir);
    for (const e of loaded.errors) logger.warn(`setup refused: ${e.file}${e.line ? ':' + e.line : ''}: ${e.message}`);
    const registry = await createSetupRegistry({ db: asArea(store.db), setups: loaded.setups });
    logger.info('setups loaded', { setups: loaded.setups.map((s) => `${s.id}@${s.version}`).join(', ') });

    const kb = await openKnowledgeBase({
      dataDir: config.dataDir,
      dbFile: config.dbFile,
      db: asArea(store.db),
      embedding: embeddingFromConfig(config.knowledge, config.knowledge.embeddingApiKey),
      maxUploadBytes: config.knowledge.maxUploadBytes,
    });
    stops.push(() => kb.close());
    const llm = createLlmLayer(config.llm, { db: asArea(store.db) });
    // Prometheus metrics only when asked for (metrics.port); they read the books, they never steer.
    const metrics = config.metrics.port === undefined ? undefined : createMetrics();
    const metricsServer = metrics ? await startMetricsServer(metrics, { port: config.metrics.port!, host: config.metrics.host }) : undefined;
    if (metricsServer) {
      stops.push(() => metricsServer.close());
      scrapeState(metrics!, { db: asArea(store.db), usageToday: llm ? () => llm.usageToday() : undefined });
      logger.info(`metrics: ${metricsServer.url}`);
    }
    // Only with queue.url: backtest work goes to `ita worker` processes; without it, everything runs in this process.
    const queue = await openQueueFromConfig(config, logger);
    if (queue) stops.push(() => queue.close());
    if (queue && metrics) scrapeQueue(metrics, queue);
    // /backtest runs the setup version the bot trades, under the same account, policy and governor as paper/live.
    const backtest = await createBacktestServiceFromConfig({ db: asArea(store.db), config, governance, setupFor: (id) => registry.get(id)?.setup, queue });
    const charts = createChartService(asArea(store.db), () => registry.all().map((r) => r.setup));
    stops.push(() => closeSharedChartPool());

    // Late-bound: the bot and the market side start after the services that refer to them.
    let bot: ItaBot | undefined;
    const wallClock = overrides.now ?? Date.now;
    let clock: () => number = wallClock;
    let runtime: LiveRuntime | undefined;
    let watchlistChanged: () => Promise<void> = async () => {};
    let decided: (signalId: string) => void = () => {};

    // The ONE exchange gateway: candles for the feed and orders for the live broker. None offline.
    const gateway = sampleMarket
      ? undefined
      : await createGateway({
        exchangeId: config.exchange.id,
        apiKey: config.exchange.apiKey,
        secret: config.exchange.secret,
        sandbox: config.exchange.sandbox,
        // A perp account trades (and reads candles of) the exchange's USDT-M futures markets.
        account: config.exchange.account,
        logger,
        ...(overrides.now ? { now: overrides.now } : {}),
        ...overrides.gateway,
      });
    if (gateway) stops.push(() => gateway.close());

    // Money moves only through the executor: approved signals → risk governor → paper broker (live needs /mode live).
    const fee = config.paper.feePct / 100;
    const broker = await createPaperBroker({
      db: asArea(store.db),
      costs: { ...NO_COSTS, makerFee: fee, takerFee: fee },
      initialBalances: { USDT: config.paper.equity },
      now: () => clock(),
      logger,
    });
    // Live: mode live + the exchange keys; the broker reconciles its books with the exchange before it is used.
    const live = await openLiveAccount({ config, sampleMarket, gateway, db: asArea(store.db), now: () => clock(), logger, leverageCap: governance.leverageCap });
    // Perp markets (watchlist account, else exchange.account) trade on the USDT-M perpetual paper account.
    const perpBroker = await createPerpPaperBroker({
      db: asArea(store.db), costs: { ...NO_COSTS, makerFee: fee, takerFee: fee }, initialBalances: { USDT: config.paper.equity },
      leverage: config.exchange.leverage, leverageCap: governance.leverageCap, now: () => clock(), logger,
    });
    // Stale feed, unfillable gap, clock skew: new entries pause on the markets concerned until the gate clears.
    const gates = new HealthGates({ now: () => clock() });
    // Each watched market's account type (spot: long only), else the configured one.
    const accountOf = async (m: { exchange?: string; symbol: string; timeframe: string }) =>
      (await listWatched(asArea(store.db))).find((w) => (m.exchange === undefined || w.exchange === m.exchange) && w.symbol === m.symbol && w.timeframe === m.timeframe)?.account
        ?? config.exchange.account;
    const signalPolicy = { maxCostR: tradingPolicy(config).maxCostR, accountOf };
    const executor: Executor = await createExecutor({
      db: asArea(store.db),
      broker,
      perpBroker,
      liveBroker: live.broker,
      livePerpBroker: live.perpBroker,
      liveUnavailable: live.unavailable,
      entryGate: (market) => gates.blocked(market),
      governance,
      clock: () => clock(),
      logger,
      equity0: config.paper.equity,
      configuredMode: config.mode,
      // The trading session's rules (trading/decision.ts): policy, account of the market, opposite exit, net sizing.
      policy: tradingPolicy(config),
      accountOf,
      oppositeSignal: (setupId) => oppositeSignalMode(registry.enabled().filter((s) => s.id === setupId)),
      costs: { ...NO_COSTS, makerFee: fee, takerFee: fee },
    });
    // Scoring reads each setup version's record: its backtests and its journaled trades, updated as trades close.
    const history = await loadSetupHistory(asArea(store.db), (id, version) => backtest.setupHistory(id, version));
    executor.on((event) => event.type === 'trade-closed' && history.recordTrade(event.setupId, event.setupVersion, event.r));
    // Outcomes of every signal as candles close, success models retrained as they arrive (src/app/learning-wiring.ts).
    const learning = startLearning({ db: asArea(store.db), dataDir: config.dataDir, registry, fees: { maker: fee, taker: fee }, clock: () => clock(), logger });
    stops.push(() => learning.stop());
    // Candles and signals reach the executor in order (fills, stops, trailing, opposite exits), one at a time.
    const toExecutor = feedExecutor(executor, logger);

    const settings = { minScore: config.signals.minScore, timezone: config.timezone, language: config.language };
    const recipients = allowedUserIds.map((id) => ({ userId: id, chatId: id }));

    const deliver = signalDelivery({
      bot: () => bot,
      charts,
      languageOf: async (chatId) => (await engine.settings.get(chatId)).language,
      comment: { retriever: kb, llm },
      commentBudgetMs: config.llm.commentBudgetMs,
    });

    const engine = createEngineServices({
      db: asArea(store.db),
      registry,
      settings,
      // What the executor trades on (paper until /mode live is confirmed), so /status and /risk agree.
      mode: () => executor.mode(),
      now: () => clock(),
      // The approver's own minimum score, as their pushes were filtered by (one function for both).
      onApprove: async (signal, by) => (await executor.approve(signal, 'telegram', { minScore: await traderMinScore(asArea(store.db), by, settings) })).outcome,
      stats: async (id, version) => history.history(id, version),
      edge: (id, version) => learning.edge(id, version),
      // The market side starts after the bot (so the first signal finds it running); status reads it lazily.
      runtime: { paused: () => runtime?.paused() ?? false, health: (market) => runtime?.health?.(market), regime: (market) => runtime?.regime?.(market) },
      onWatchlistChange: () => void watchlistChanged().catch((error) => logger.error('watchlist change failed', { error: describeError(error) })),
      validateMarket: sampleMarket ? validateSampleMarket : undefined,
      extraStatus: async () => {
        const usage = llm ? await llm.usageToday() : undefined;
        return [
          sampleMarket ? 'market: bundled sample candles replayed (no exchange)' : `exchange: ${config.exchange.id}${config.exchange.sandbox ? ' (testnet)' : ''}`,
          ...healthStatusLines(gates),
          usage ? `LLM today: ${usage.calls} calls, $${usage.costUsd.toFixed(4)} of $${config.llm.dailyBudgetUsd}` : 'LLM: not configured (answers quote your documents)',
        ];
      },
    });

    const telegram = offline
      ? await startOfflineTelegram({ webChatPort: config.telegram.webChatPort, ownerId: allowedUserIds[0], ownerLanguage: config.language, dataDir: config.dataDir, logger })
      : undefined;
    if (telegram) stops.push(() => telegram.stop());
    bot = createBot({
      token: config.telegram.token ?? telegram!.token,
      apiRoot: telegram?.apiRoot ?? config.telegram.apiRoot,
      transport: telegram ? undefined : transportFromConfig(config.telegram),
      services: {
        ...engine,
        signals: {
          ...engine.signals,
          decide: async (id, kind, by, reason) => {
            const result = await engine.signals.decide(id, kind, by, reason);
            // A decision, not a tap: a second tap on a decided signal records nothing.
            if (result.ok) metrics?.decision(kind);
            decided(id);
            return result;
          },
        },
        charts, knowledge: createKnowledgeService(kb, llm, config), backtest: metrics ? countBacktestJobs(metrics, backtest) : backtest, lab: createLabServicesFromConfig({ db: asArea(store.db), llm, config, governance, registry, queue }) },
      allowedUserIds,
      allowedChatIds: config.telegram.allowedChatIds,
      defaultSettings: { language: config.language, minScore: config.signals.minScore, timezone: config.timezone, askOnPlainText: true },
      logger,
      sessionStore: createSqliteSessionStore(asArea(store.db)),
      defaultExchange: config.exchange.id,
      openSignal: (signal, chatId) => deliver(signal, chatId),
    });
    installExecutionFeature(bot, executor, { timeZoneOf: async (id) => (await engine.settings.get(id ?? allowedUserIds[0] ?? 0)).timezone, logger });
    installLearningChat(bot, learning, { db: asArea(store.db), dataDir: config.dataDir, registry });
    await bot.start();
    stops.push(() => bot!.stop());
    const ownerLanguage = allowedUserIds.length ? (await engine.settings.get(allowedUserIds[0])).language : 'en';
    const stopEvents = notifyExecutorEvents(bot, executor, allowedUserIds, ownerLanguage, { timeZone: config.timezone, logger });
    stops.push(async () => stopEvents());
    const reports = scheduleReports({
      executor,
      // With Notion configured, each scheduled report also syncs the backtests and the journal there.
      send: reportSinks(telegramReportSender(bot.bot.api, allowedUserIds, ownerLanguage, learning.reportAppendix), { db: asArea(store.db), notion: config.notion, logger }),
      times: config.reports,
      timezone: config.timezone,
      logger,
    });
    stops.push(async () => reports());

    const liveBroker = live.broker ?? live.perpBroker;
    if (liveBroker) {
      const watch = watchReconciliation({
        broker: liveBroker,
        executor,
        report: (report) => sendReconciliationReport(bot!, allowedUserIds, ownerLanguage, report, logger),
        logger,
        backoff: overrides.reconnectBackoff,
      });
      stops.push(async () => watch.stop());
    }

    // The market side: one feed, picked here and wired once.
    const feedDeps = {
      db: asArea<ItaDatabase, Database>(store.db),
      sqlite: store.sqlite,
      registry,
      recipients,
      settings,
      deliver,
      notifyDropped: (chatId: number, dropped: DroppedItem[]) => bot!.notifyDropped(chatId, dropped),
      // Telegram takes about one message a second per chat: a burst is one digest plus the best signal's card.
      digest: { deliver: (chatId: number, page: BurstPage) => bot!.sendDigest(chatId, page) },
      history: (id: string, version: string) => history.history(id, version),
      warm: toExecutor.warm,
      policy: signalPolicy,
      costs: { makerFee: fee, takerFee: fee, slippage: 0 },
      // The tested success probability (the journal's learning) joins each signal before it is ranked.
      annotate: (signals: Signal[]) => learning.annotate(signals),
    };
    const feed: CandleFeed = sampleMarket
      ? sampleFeed({
        ...feedDeps,
        samplesDir: path.join(ROOT, 'data/samples'),
        dataDir: config.dataDir,
        replay: { speed: config.offline.replaySpeed, days: config.offline.replayDays, decisionWaitMs: config.offline.decisionWaitSeconds * 1000 },
        logger,
      })
      : exchangeFeed({ ...feedDeps, exchangeId: config.exchange.id, source: gateway!, ...(overrides.now ? { now: overrides.now } : {}) });
    feed.events.on((event) => event.type === 'error' && logger.error(`live ${event.where}: ${event.error.message}`));
    feed.events.on((event) => learning.onLiveEvent(event));
    feed.events.on(toExecutor.onEvent);
    const recordLive = metrics ? liveEventRecorder(metrics, { replayed: feed.kind !== 'exchange' }) : undefined;
    if (recordLive) feed.events.on((event) => recordLive(event, feed.now()));
    // The exchange's clock is checked only when there is an exchange; a replayed feed can still go stale or gapped.
    const unwireGates = wireHealthGates({
      gates, events: feed.events, notifier: bot!, recipients: allowedUserIds, language: ownerLanguage, logger, metrics,
      ...(feed.kind === 'exchange' && gateway ? { clock: { exchange: config.exchange.id, measure: () => gateway!.measureClockOffset() } } : {}),
    });
    stops.push(async () => unwireGates());
    // A bar replay waits for the trader's decision on what it pushed.
    feed.events.on((event) => event.type === 'signal' && event.queued && feed.hold(event.signal.id));
    decided = (id) => feed.release(id);
    watchlistChanged = () => feed.watchlistChanged();
    runtime = feed.runtime;
    clock = () => feed.now();
    stops.push(() => feed.stop());
    await feed.start();
    // Approvals a crash left without a verdict: adopted, re-driven or refused, and the trader told (recovery.ts).
    const resolved = await resolvePendingApprovals(asArea(store.db), executor, 'telegram', (userId) => traderMinScore(asArea(store.db), userId, settings));
    const resolvedText = resolvedApprovalsText(resolved, ownerLanguage);
    if (resolvedText) {
      logger.warn('approvals without a verdict resolved at start-up', { count: resolved.length });
      for (const chatId of allowedUserIds) void bot!.notifyText(chatId, resolvedText).catch((error) => logger.warn('start-up resolution not delivered', { error: describeError(error) }));
    }

    if (telegram) logger.info(`offline web chat: ${telegram.webChatUrl} (no TELEGRAM_BOT_TOKEN set; nothing leaves this machine)`);
    logger.info('ITA started', { mode: config.mode, dataDir: config.dataDir, telegram: offline ? 'emulator' : 'telegram' });
    if (metrics) {
      const unsubscribe = recordExecutorEvents(metrics, executor);
      stops.push(async () => unsubscribe());
    }
    return { stop: stopAll, webChatUrl: telegram?.webChatUrl, emulator: telegram?.emulator, metricsUrl: metricsServer?.url, feed };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export async function main(): Promise<void> {
  ownerOnlyFiles();
  const config = loadConfig();
  const secrets = secretsOf(config);
  const logFiles = config.logs.files
    ? await openLogFiles({ dir: config.logs.dir, retentionDays: config.logs.retentionDays, level: config.logLevel, secrets })
    : undefined;
  const logger = createLogger({ level: config.logLevel, secrets, sinks: logFiles ? [logFiles] : [] });
  const ita = await startIta(config, logger);
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    await ita.stop();
    await logFiles?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

const invokedDirectly = process.argv[1] && /main\.ts$/.test(process.argv[1]);
if (invokedDirectly) {
  main().catch((error) => {
    process.stderr.write(`ita: ${describeError(error)}\n`);
    process.exit(1);
  });
}
