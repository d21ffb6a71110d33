/**
 * Composition root: config → logger → governance → database (+ migrations) → setups, knowledge, LLM, backtests →
 * Telegram (real, or the local emulator + web chat when no token is set) → live pipeline (exchange feed, or the
 * bundled sample market replayed) → bot. The only place that wires services together; graceful shutdown on signals.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, secretsOf, type Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { openLogFiles } from './log-files.ts';
import { createMetrics } from './ops/metrics.ts';
import { startMetricsServer } from './ops/metrics-server.ts';
import { recordExecutorEvents, recordLiveEvent, scrapeState } from './app/metrics-wiring.ts';
import { describeError } from './engine/errors.ts';
import { openDatabase } from './engine/store/database.ts';
import { loadGovernance } from './engine/risk/governance.ts';
import { loadSetupsDir } from './engine/setups/index.ts';
import { createSetupRegistry } from './engine/journal/setup-registry.ts';
import { addWatched, listWatched } from './engine/journal/watchlist.ts';
import { createEngineServices, type LiveRuntime } from './engine/services/index.ts';
import { DeliveryWorker, LiveEvents, LivePipeline, startLive, type Deliver, type LiveEvent } from './engine/live/index.ts';
import { createBacktestService, backtestMigrations } from './engine/backtest/service/index.ts';
import { DEFAULT_SIMULATION } from './engine/backtest/service/run-setup.ts';
import { DEFAULT_MAX_COST_R } from './engine/signals/policy.ts';
import { knowledgeMigrations, openKnowledgeBase } from './knowledge/index.ts';
import { embeddingFromConfig } from './knowledge/embedding/create.ts';
import { createLlmLayer, llmMigrations } from './knowledge/llm/index.ts';
import { commentOnSignal } from './knowledge/answer/index.ts';
import { botMigrations, createBot, createSqliteSessionStore, type ItaBot } from './bot/index.ts';
import { startOfflineTelegram, type BotApiEmulator } from './bot/emulator/index.ts';
import { transportFromConfig } from './bot/transport/from-config.ts';
import { installExecutionFeature, notifyExecutorEvents, scheduleReports, telegramReportSender } from './bot/execution/index.ts';
import { createKnowledgeService } from './app/knowledge-service.ts';
import { createLabServicesFromConfig, LAB_MIGRATION_TABLE, labMigrations } from './app/lab-service.ts';
import { loadSetupHistory } from './app/setup-history.ts';
import { positionsToExitOnOpposite } from './app/opposite-exit.ts';
import { createChartService } from './app/chart-service.ts';
import { closeSharedChartPool } from './engine/charts/pool.ts';
import { SAMPLE_MARKETS, seedSampleCandles, startSampleReplay } from './app/sample-market.ts';
import { createGateway } from './engine/market/gateway.ts';
import type { MarketKey, Signal } from './engine/types.ts';
import { createPaperBroker } from './engine/exec/paper/index.ts';
import { execMigrations, EXEC_MIGRATION_TABLE } from './engine/exec/store/migrations.ts';
import { NO_COSTS } from './engine/exec/sim/fill-model.ts';
import { createExecutor, executorMigrations, EXECUTOR_MIGRATION_TABLE, type Executor } from './engine/exec/executor/index.ts';
import { getLatestCandles } from './engine/store/candles.ts';
import { ownerOnlyFiles } from './engine/store/file-modes.ts';

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
}

export async function startIta(config: Config, logger: Logger): Promise<RunningIta> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error) => logger.error('shutdown step failed', { error: describeError(error) }));
  };
  try {
    const governance = loadGovernance(config.governanceFile);
    logger.info('governance loaded', { file: config.governanceFile, riskPerTradePct: governance.risk.basePct });
    const store = await openDatabase(config.dbFile, {
      extraMigrations: {
        knowledge_migration: knowledgeMigrations,
        llm_migration: llmMigrations,
        bot_migration: botMigrations,
        backtest_migration: backtestMigrations,
        [EXEC_MIGRATION_TABLE]: execMigrations,
        [EXECUTOR_MIGRATION_TABLE]: executorMigrations,
        [LAB_MIGRATION_TABLE]: labMigrations,
      },
    });
    stops.push(() => store.close());
    logger.info('database ready', { file: config.dbFile });

    const offline = !config.telegram.token;
    // No exchange unless asked for: without a token the whole system runs on this machine only.
    const sampleMarket = config.offline.market === 'sample' || (config.offline.market === 'auto' && offline);
    const allowedUserIds = config.telegram.allowedUserIds.length > 0 ? config.telegram.allowedUserIds : offline ? [OFFLINE_OWNER_ID] : [];

    const loaded = loadSetupsDir(config.setupsDir);
    for (const e of loaded.errors) logger.warn(`setup refused: ${e.file}${e.line ? ':' + e.line : ''}: ${e.message}`);
    const registry = await createSetupRegistry({ db: store.db, setups: loaded.setups });
    logger.info('setups loaded', { setups: loaded.setups.map((s) => `${s.id}@${s.version}`).join(', ') });

    const kb = await openKnowledgeBase({
      dataDir: config.dataDir,
      dbFile: config.dbFile,
      db: store.db,
      embedding: embeddingFromConfig(config.knowledge, config.knowledge.embeddingApiKey),
      maxUploadBytes: config.knowledge.maxUploadBytes,
    });
    stops.push(() => kb.close());
    const llm = createLlmLayer(config.llm, { db: store.db });
    // Prometheus metrics only when asked for (metrics.port); they read the books, they never steer.
    const metrics = config.metrics.port === undefined ? undefined : createMetrics();
    const metricsServer = metrics ? await startMetricsServer(metrics, { port: config.metrics.port!, host: config.metrics.host }) : undefined;
    if (metricsServer) {
      stops.push(() => metricsServer.close());
      scrapeState(metrics!, { db: store.db, usageToday: llm ? () => llm.usageToday() : undefined });
      logger.info(`metrics: ${metricsServer.url}`);
    }
    // /backtest runs the setup version the bot trades, under the same account, policy and governor as paper/live.
    const backtest = await createBacktestService({
      db: store.db, dataDir: config.dataDir, setupsDir: config.setupsDir, setupFor: (id) => registry.get(id)?.setup,
      settings: {
        ...DEFAULT_SIMULATION, fees: { maker: config.paper.feePct / 100, taker: config.paper.feePct / 100 },
        account: config.exchange.account, leverage: config.exchange.leverage, governance, policy: tradingPolicy(config),
      },
    });
    const charts = createChartService(store.db, () => registry.all().map((r) => r.setup));
    stops.push(() => closeSharedChartPool());

    // Late-bound: the bot and the market side start after the services that refer to them.
    let bot: ItaBot | undefined;
    let clock: () => number = Date.now;
    let runtime: LiveRuntime | undefined;
    let watchlistChanged: () => Promise<void> = async () => {};
    let decided: (signalId: string) => void = () => {};

    // Money moves only through the executor: approved signals → risk governor → paper broker (live needs /mode live).
    const fee = config.paper.feePct / 100;
    const broker = await createPaperBroker({
      db: store.db,
      costs: { ...NO_COSTS, makerFee: fee, takerFee: fee },
      initialBalances: { USDT: config.paper.equity },
      now: () => clock(),
      logger,
    });
    const executor: Executor = await createExecutor({
      db: store.db,
      broker,
      governance,
      clock: () => clock(),
      logger,
      equity0: config.paper.equity,
      configuredMode: config.mode,
    });
    // Scoring reads each setup version's record: its backtests and its journaled trades, updated as trades close.
    const history = await loadSetupHistory(store.db, (id, version) => backtest.setupHistory(id, version));
    executor.on((event) => {
      if (event.type !== 'trade-closed') return;
      const row = store.sqlite.prepare('SELECT setup_version FROM executor_positions WHERE id = ?').get(event.positionId) as { setup_version: string } | undefined;
      if (row) history.recordTrade(event.setupId, row.setup_version, event.r);
    });
    // Candles reach the executor in order (fills, stops, trailing), one at a time.
    let executorQueue: Promise<void> = Promise.resolve();
    const feedExecutor = (event: LiveEvent) => {
      if (event.type === 'candle') {
        executorQueue = executorQueue
          .then(() => executor.onCandle(event.market, event.candle))
          .catch((error) => logger.error('executor failed on a candle', { error: describeError(error) }));
      } else if (event.type === 'signal') {
        const signal = event.signal;
        executorQueue = executorQueue
          .then(async () => {
            for (const position of positionsToExitOnOpposite(signal, await executor.positions(), registry.enabled())) {
              logger.info('closing on an opposite signal', { position: position.id, signal: signal.id });
              await executor.close(position.id, `opposite signal ${signal.setupId} ${signal.side}`);
            }
          })
          .catch((error) => logger.error('opposite-signal exit failed', { error: describeError(error) }));
      }
    };
    const warmExecutor = async (markets: MarketKey[]) => {
      // Liquidity and volatility rules need recent history; the executor keeps it in memory only.
      for (const market of markets) for (const candle of await getLatestCandles(store.db, market, 200)) executor.observe(market, candle);
    };

    const settings = { minScore: config.signals.minScore, timezone: config.timezone, language: config.language };
    const recipients = allowedUserIds.map((id) => ({ userId: id, chatId: id }));

    // A pushed signal: its chart, a comment from the trader's theory within the time budget, then the message.
    const deliver: Deliver = async (signal: Signal, chatId: number) => {
      if (!bot) throw new Error('the bot is not running yet');
      const [png, userSettings] = await Promise.all([charts.signal(signal), engine.settings.get(chatId)]);
      const comment = await commentOnSignal(
        { ...signal, targets: signal.targets.map((t) => t.price) },
        { retriever: kb, llm, language: userSettings.language, budgetMs: config.llm.commentBudgetMs },
      );
      return bot.sendSignal(chatId, signal, png, comment.text);
    };

    const engine = createEngineServices({
      db: store.db,
      registry,
      settings,
      mode: config.mode,
      now: () => clock(),
      onApprove: async (signal) => (await executor.approve(signal, 'telegram')).outcome,
      stats: async (id, version) => history.history(id, version),
      // The market side starts after the bot (so the first signal finds it running); status reads it lazily.
      runtime: { paused: () => runtime?.paused() ?? false, health: (market) => runtime?.health?.(market) },
      onWatchlistChange: () => void watchlistChanged().catch((error) => logger.error('watchlist change failed', { error: describeError(error) })),
      validateMarket: sampleMarket
        ? async (market) =>
            SAMPLE_MARKETS.some((s) => s.market.symbol === market.symbol && s.market.timeframe === market.timeframe)
              ? undefined
              : `offline mode replays only the bundled markets: ${SAMPLE_MARKETS.map((s) => `${s.market.symbol} ${s.market.timeframe}`).join(', ')}`
        : undefined,
      extraStatus: async () => {
        const usage = llm ? await llm.usageToday() : undefined;
        return [
          sampleMarket ? 'market: bundled sample candles replayed (no exchange)' : `exchange: ${config.exchange.id}${config.exchange.sandbox ? ' (testnet)' : ''}`,
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
            metrics?.decision(kind);
            decided(id);
            return result;
          },
        },
        charts, knowledge: createKnowledgeService(kb, llm, config), backtest, lab: createLabServicesFromConfig({ db: store.db, llm, config, governance, registry }) },
      allowedUserIds,
      allowedChatIds: config.telegram.allowedChatIds,
      defaultSettings: { language: config.language, minScore: config.signals.minScore, timezone: config.timezone, askOnPlainText: true },
      logger,
      sessionStore: createSqliteSessionStore(store.db),
      defaultExchange: config.exchange.id,
    });
    installExecutionFeature(bot, executor, { timeZoneOf: async (id) => (await engine.settings.get(id ?? allowedUserIds[0] ?? 0)).timezone, logger });
    await bot.start();
    stops.push(() => bot!.stop());
    const ownerLanguage = allowedUserIds.length ? (await engine.settings.get(allowedUserIds[0])).language : 'en';
    const stopEvents = notifyExecutorEvents(bot, executor, allowedUserIds, ownerLanguage, { timeZone: config.timezone, logger });
    stops.push(async () => stopEvents());
    const reports = scheduleReports({
      executor,
      send: telegramReportSender(bot.bot.api, allowedUserIds, ownerLanguage),
      times: config.reports,
      timezone: config.timezone,
      logger,
    });
    stops.push(async () => reports());

    if (sampleMarket) {
      await seedSampleCandles(store.db, store.sqlite, path.join(ROOT, 'data/samples'), logger);
      if ((await listWatched(store.db)).length === 0) {
        for (const { market } of SAMPLE_MARKETS.filter((s) => s.market.symbol === 'BTC/USDT')) await addWatched(store.db, market, Date.now());
      }
      const events = new LiveEvents();
      const worker = new DeliveryWorker({ db: store.db, deliver, events, now: () => clock(), notifyDropped: (chatId, dropped) => bot!.notifyDropped(chatId, dropped) });
      const pipeline = new LivePipeline({
        db: store.db,
        sqlite: store.sqlite,
        setups: () => registry.enabled(),
        recipients,
        settings,
        history: (id, version) => history.history(id, version),
        events,
        onQueued: () => worker.kick(),
      });
      events.on((event) => event.type === 'error' && logger.error(`live ${event.where}: ${event.error.message}`));
      events.on(feedExecutor);
      if (metrics) events.on((event) => recordLiveEvent(metrics, event, clock()));
      runtime = {
        paused: () => pipeline.isPaused(),
        // Stored sample data runs ahead of the replay; say where the replay is, not where the data ends.
        health: (market) => {
          const problem = pipeline.healthOf(market);
          const at = pipeline.lastTs(market);
          return problem ?? (at === undefined ? undefined : `bar replay at ${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
        },
      };
      worker.start();
      stops.push(() => worker.stop());
      const startReplay = () =>
        startSampleReplay({
          db: store.db,
          pipeline,
          markets: async () => listWatched(store.db),
          speed: config.offline.replaySpeed,
          days: config.offline.replayDays,
          positionFile: path.join(config.dataDir, 'replay-position.json'),
          decisionWaitMs: config.offline.decisionWaitSeconds * 1000,
          // The executor must know prices as of the replay's present, not the end of the sample data.
          warm: (market, candles) => candles.forEach((candle) => executor.observe(market, candle)),
          logger,
        });
      let replay = await startReplay();
      clock = () => replay.now();
      events.on((event) => event.type === 'signal' && event.queued && replay.hold(event.signal.id));
      decided = (id) => replay.release(id);
      // A newly watched sample market joins the replay from where it is now (the position is saved per close).
      watchlistChanged = async () => {
        await replay.stop();
        replay = await startReplay();
      };
      stops.push(() => replay.stop());
    } else {
      const source = await createGateway({
        exchangeId: config.exchange.id,
        apiKey: config.exchange.apiKey,
        secret: config.exchange.secret,
        sandbox: config.exchange.sandbox,
        // A perp account trades (and reads candles of) the exchange's USDT-M futures markets.
        account: config.exchange.account,
        logger,
      });
      stops.push(() => source.close());
      const live = await startLive({
        db: store.db,
        sqlite: store.sqlite,
        registry,
        recipients,
        settings,
        sourceFor: (exchange) => (exchange === config.exchange.id ? source : undefined),
        deliver,
        notifyDropped: (chatId, dropped) => bot!.notifyDropped(chatId, dropped),
        history: (id, version) => history.history(id, version),
      });
      live.events.on((event) => event.type === 'error' && logger.error(`live ${event.where}: ${event.error.message}`));
      live.events.on(feedExecutor);
      if (metrics) live.events.on((event) => recordLiveEvent(metrics, event, Date.now()));
      await warmExecutor(await listWatched(store.db));
      runtime = live.runtime;
      watchlistChanged = () => live.watchlistChanged();
      stops.push(() => live.stop());
    }

    if (telegram) logger.info(`offline web chat: ${telegram.webChatUrl} (no TELEGRAM_BOT_TOKEN set; nothing leaves this machine)`);
    logger.info('ITA started', { mode: config.mode, dataDir: config.dataDir, telegram: offline ? 'emulator' : 'telegram' });
    if (metrics) {
      const unsubscribe = recordExecutorEvents(metrics, executor);
      stops.push(async () => unsubscribe());
    }
    return { stop: stopAll, webChatUrl: telegram?.webChatUrl, emulator: telegram?.emulator, metricsUrl: metricsServer?.url };
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

/** signals.maxCostR is read when the configuration has it (added with the cost policy), else its default. */
function tradingPolicy(config: { signals: { minScore: number } }): { minScore: number; maxCostR: number } {
  const signals = config.signals as { minScore: number; maxCostR?: number };
  return { minScore: signals.minScore, maxCostR: signals.maxCostR ?? DEFAULT_MAX_COST_R };
}
