/**
 * The only reader of process.env and of the config file. Parsed once at start-up and passed in.
 * Precedence: defaults < ita.config.yaml (or $ITA_CONFIG) < environment variables.
 * A bad value stops start-up with a message naming the key, where it came from and the allowed values.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './engine/errors.ts';

const idList = z.array(z.coerce.number().int());

const llmProviderSchema = z.object({
  name: z.string().min(1),
  kind: z.enum(['openai', 'ollama']),
  baseUrl: z.string().url(),
  model: z.string().min(1),
  /** Name of the environment variable that holds the key; the key itself never lives in the file. */
  apiKeyEnv: z.string().optional(),
  apiKey: z.string().optional(),
  timeoutMs: z.coerce.number().int().positive().default(20_000),
  /** USD per 1M tokens, for cost accounting. */
  inputPricePerMTok: z.coerce.number().nonnegative().default(0),
  outputPricePerMTok: z.coerce.number().nonnegative().default(0),
});

export const configSchema = z.object({
  /** Every runtime file (database, indexes, uploads, reports) lives under this directory. */
  dataDir: z.string().min(1).default('data'),
  /** SQLite file; relative paths are resolved against dataDir. */
  dbFile: z.string().min(1).default('ita.sqlite'),
  /**
   * A PostgreSQL database shared by several ITA instances (postgres://user:password@host:port/db). When set it
   * replaces dbFile as the store; vector index files and uploads stay in each instance's dataDir.
   */
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\/\S+$/i, 'must be a postgres:// or postgresql:// URL').optional(),
  /**
   * `ita bench` only: a PostgreSQL server (an admin URL) where the store figures create and drop a throwaway
   * database, measured beside SQLite. Never the store in use; unset = those lines are skipped.
   */
  benchDatabaseUrl: z.string().regex(/^postgres(ql)?:\/\/\S+$/i, 'must be a postgres:// or postgresql:// URL').optional(),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  logs: z
    .object({
      /** Structured log files (JSON lines, one file a day); relative paths are resolved against dataDir. */
      dir: z.string().min(1).default('logs'),
      /** Days of log files kept (default about six months). */
      retentionDays: z.coerce.number().int().min(1).max(3650).default(183),
      /** Off: logs go to the terminal only. */
      files: z.boolean().default(true),
    })
    .prefault({}),
  /** The trader's setups (one YAML file each). Relative to the working directory. */
  setupsDir: z.string().min(1).default('setups'),
  /** Locked risk limits, read once at start-up. Relative to the working directory. */
  governanceFile: z.string().min(1).default('governance.yaml'),
  mode: z.enum(['paper', 'live']).default('paper'),
  timezone: z.string().min(1).default('UTC'),
  /** The trader's language when Telegram does not say (no or another language_code) and for the offline web chat. */
  language: z.enum(['en', 'ru']).default('en'),
  telegram: z
    .object({
      token: z.string().min(1).optional(),
      allowedUserIds: idList.default([]),
      allowedChatIds: idList.default([]),
      /** Public HTTPS URL for webhook mode (Telegram posts updates there); unset = long polling. */
      webhookUrl: z.string().url().refine((url) => url.startsWith('https://'), 'must be an https:// URL (Telegram posts only to HTTPS)').optional(),
      /** Sent by Telegram in X-Telegram-Bot-Api-Secret-Token; required in webhook mode. */
      webhookSecret: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1–256 characters of A-Z a-z 0-9 _ -').optional(),
      /** Where the webhook server listens (behind your reverse proxy). */
      webhookHost: z.string().min(1).default('127.0.0.1'),
      webhookPort: z.coerce.number().int().min(0).max(65535).default(8443),
      /** The Bot API server; a self-hosted telegram-bot-api (e.g. http://127.0.0.1:8081) lifts the 20 MB download limit. */
      apiRoot: z.string().url().refine((url) => /^https?:\/\//.test(url) && !url.endsWith('/'), 'must be an http(s) URL without a trailing slash').default('https://api.telegram.org'),
      webChatPort: z.coerce.number().int().min(0).max(65535).default(8080),
    })
    .refine((t) => !t.webhookUrl || t.webhookSecret, { message: 'webhook mode needs telegram.webhookSecret (ITA_WEBHOOK_SECRET)', path: ['webhookSecret'] })
    .prefault({}),
  exchange: z
    .object({
      id: z.string().min(1).default('binance'),
      apiKey: z.string().optional(),
      secret: z.string().optional(),
      sandbox: z.boolean().default(false),
      /** Account type of watched markets unless the watchlist says otherwise: spot (long only) or perp (USDT-M futures). */
      account: z.enum(['spot', 'perp']).default('spot'),
      /** Exchange leverage on perp accounts (clamped to governance leverage_cap). */
      leverage: z.coerce.number().min(1).max(125).default(1),
    })
    .prefault({}),
  offline: z
    .object({
      /** Market data source: `auto` replays the bundled samples when no Telegram token is set, else uses the exchange. */
      market: z.enum(['auto', 'sample', 'exchange']).default('auto'),
      /** Candle closes per second when the bundled sample market is replayed (no exchange configured). */
      replaySpeed: z.coerce.number().positive().max(1000).default(0.5),
      /** How many days before the end of the sample data the replay starts. */
      replayDays: z.coerce.number().positive().default(14),
      /** Seconds the replay waits for your decision on a pushed signal before moving on. */
      decisionWaitSeconds: z.coerce.number().min(0).default(120),
    })
    .prefault({}),
  paper: z
    .object({
      /** Starting paper equity in the quote currency (USDT). */
      equity: z.coerce.number().positive().default(10_000),
      /** Fee per fill, percent of notional (maker and taker). */
      feePct: z.coerce.number().min(0).max(5).default(0.1),
    })
    .prefault({}),
  /** Scheduled reports: 'HH:MM' (daily), 'sun 21:00' (weekly), '1 09:00' (monthly), or 'off'; in `timezone`. */
  reports: z
    .object({
      daily: z.string().default('21:00'),
      weekly: z.string().default('sun 21:00'),
      monthly: z.string().default('1 09:00'),
    })
    .prefault({}),
  signals: z
    .object({
      minScore: z.coerce.number().min(0).max(10).default(7),
      /** Signals whose stopped-out fees and slippage exceed this many R are journaled but not pushed. */
      maxCostR: z.coerce
        .number({ message: 'must be a number of R, from 0 (no cost allowed) to 10' })
        .min(0, 'must be a number of R, from 0 (no cost allowed) to 10')
        .max(10, 'must be a number of R, from 0 (no cost allowed) to 10')
        .default(0.25),
    })
    .prefault({}),
  knowledge: z
    .object({
      embedding: z.enum(['local', 'openai', 'ollama']).default('local'),
      embeddingModel: z.string().optional(),
      embeddingBaseUrl: z.string().url().optional(),
      /** Name of the environment variable holding the embeddings API key (OpenAI-compatible endpoints). */
      embeddingApiKeyEnv: z.string().optional(),
      embeddingApiKey: z.string().optional(),
      maxUploadBytes: z.coerce.number().int().positive().default(20 * 1024 * 1024),
    })
    .prefault({}),
  metrics: z
    .object({
      /** Prometheus endpoint GET /metrics on this port; unset = no endpoint. */
      port: z.coerce.number().int().min(0).max(65535).optional(),
      /** Loopback by default: the figures describe the trader's account. */
      host: z.string().min(1).default('127.0.0.1'),
    })
    .prefault({}),
  queue: z
    .object({
      /**
       * PostgreSQL of the job queue (pg-boss): backtests, optimizer evaluations and walk-forward windows become jobs
       * that `ita worker` processes on any machine take. Unset (and no postgres ITA_DATABASE_URL) = everything runs
       * in this process, as without a queue.
       */
      url: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
      /** Parameter sets per optimizer job: bigger = fewer round trips, smaller = finer spread and less redone work after a kill. */
      batchSize: z.coerce.number().int().min(1).max(1000).default(5),
      /** A job still running this long after a worker took it counts as lost (killed worker) and is retried elsewhere. */
      expireSeconds: z.coerce.number().int().min(1).max(86_000).default(900),
      /** Retries of a lost or failed job before the run fails. */
      retryLimit: z.coerce.number().int().min(0).max(100).default(3),
      /** How often the queue looks for lost jobs (pg-boss maintenance). */
      maintenanceSeconds: z.coerce.number().int().min(1).max(3600).default(30),
      /** How often an idle worker asks for a job, and the coordinator for finished ones. */
      pollSeconds: z.coerce.number().min(0.5).max(60).default(1),
      /** Candle inputs of backtest jobs unused for this many days are deleted when a queue opens; 0 = keep forever. */
      inputRetentionDays: z.coerce.number().min(0).max(3650).default(7),
      /** A CLI run whose jobs no worker has taken for this long says so (and how to start one), again every period. */
      idleWarnSeconds: z.coerce.number().min(0.5).max(3600).default(30),
    })
    .prefault({}),
  notion: z
    .object({
      /** An internal integration's token; only from the environment (NOTION_TOKEN), never the file. */
      token: z.string().min(1).optional(),
      /** Database ids (from the database's URL) the trader shared with the integration. */
      backtestsDatabase: z.string().min(1).optional(),
      journalDatabase: z.string().min(1).optional(),
      apiUrl: z.string().url().optional(),
    })
    .prefault({}),
  llm: z
    .object({
      mode: z.enum(['single', 'ensemble', 'sequential', 'specialized']).default('single'),
      providers: z.array(llmProviderSchema).default([]),
      dailyBudgetUsd: z.coerce.number().nonnegative().default(1),
      commentBudgetMs: z.coerce.number().int().positive().default(4000),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type LlmProviderConfig = z.infer<typeof llmProviderSchema>;

/** Environment variable → config key. Documented in the README; keep the two in step. */
export const ENV_KEYS: Record<string, string> = {
  ITA_DATA_DIR: 'dataDir',
  ITA_DB_FILE: 'dbFile',
  ITA_DATABASE_URL: 'databaseUrl',
  ITA_BENCH_DATABASE_URL: 'benchDatabaseUrl',
  ITA_LOG_LEVEL: 'logLevel',
  ITA_LOG_DIR: 'logs.dir',
  ITA_LOG_RETENTION_DAYS: 'logs.retentionDays',
  ITA_LOG_FILES: 'logs.files',
  ITA_SETUPS_DIR: 'setupsDir',
  ITA_GOVERNANCE: 'governanceFile',
  ITA_MARKET: 'offline.market',
  ITA_REPLAY_SPEED: 'offline.replaySpeed',
  ITA_REPLAY_DAYS: 'offline.replayDays',
  ITA_REPLAY_DECISION_WAIT: 'offline.decisionWaitSeconds',
  ITA_MODE: 'mode',
  ITA_TIMEZONE: 'timezone',
  ITA_LANGUAGE: 'language',
  TELEGRAM_BOT_TOKEN: 'telegram.token',
  ITA_ALLOWED_USERS: 'telegram.allowedUserIds',
  ITA_ALLOWED_CHATS: 'telegram.allowedChatIds',
  ITA_WEBHOOK_URL: 'telegram.webhookUrl',
  ITA_WEBHOOK_SECRET: 'telegram.webhookSecret',
  ITA_WEBHOOK_HOST: 'telegram.webhookHost',
  ITA_WEBHOOK_PORT: 'telegram.webhookPort',
  TELEGRAM_API_ROOT: 'telegram.apiRoot',
  ITA_WEBCHAT_PORT: 'telegram.webChatPort',
  ITA_EXCHANGE: 'exchange.id',
  ITA_EXCHANGE_API_KEY: 'exchange.apiKey',
  ITA_EXCHANGE_SECRET: 'exchange.secret',
  ITA_EXCHANGE_SANDBOX: 'exchange.sandbox',
  ITA_EXCHANGE_ACCOUNT: 'exchange.account',
  ITA_MIN_SCORE: 'signals.minScore',
  ITA_MAX_COST_R: 'signals.maxCostR',
  ITA_REPORT_DAILY: 'reports.daily',
  ITA_REPORT_WEEKLY: 'reports.weekly',
  ITA_REPORT_MONTHLY: 'reports.monthly',
  ITA_PAPER_EQUITY: 'paper.equity',
  ITA_PAPER_FEE_PCT: 'paper.feePct',
  ITA_EMBEDDING: 'knowledge.embedding',
  ITA_EMBEDDING_MODEL: 'knowledge.embeddingModel',
  ITA_EMBEDDING_BASE_URL: 'knowledge.embeddingBaseUrl',
  ITA_METRICS_PORT: 'metrics.port',
  ITA_METRICS_HOST: 'metrics.host',
  ITA_QUEUE_URL: 'queue.url',
  ITA_QUEUE_BATCH_SIZE: 'queue.batchSize',
  ITA_QUEUE_EXPIRE_SECONDS: 'queue.expireSeconds',
  ITA_QUEUE_RETRY_LIMIT: 'queue.retryLimit',
  ITA_QUEUE_MAINTENANCE_SECONDS: 'queue.maintenanceSeconds',
  ITA_QUEUE_POLL_SECONDS: 'queue.pollSeconds',
  ITA_QUEUE_INPUT_RETENTION_DAYS: 'queue.inputRetentionDays',
  ITA_QUEUE_IDLE_WARN_SECONDS: 'queue.idleWarnSeconds',
  NOTION_TOKEN: 'notion.token',
  ITA_NOTION_BACKTESTS_DB: 'notion.backtestsDatabase',
  ITA_NOTION_JOURNAL_DB: 'notion.journalDatabase',
  ITA_NOTION_API_URL: 'notion.apiUrl',
  ITA_LLM_MODE: 'llm.mode',
  ITA_LLM_DAILY_BUDGET_USD: 'llm.dailyBudgetUsd',
};

const LIST_KEYS = new Set(['telegram.allowedUserIds', 'telegram.allowedChatIds']);

export interface LoadConfigOptions {
  env?: Record<string, string | undefined>;
  /** Explicit config file; defaults to $ITA_CONFIG or ./ita.config.yaml when it exists. */
  file?: string;
  cwd?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = options.file ?? env.ITA_CONFIG ?? defaultConfigFile(cwd);
  const raw: Record<string, unknown> = file ? readConfigFile(path.resolve(cwd, file)) : {};
  const sources = new Map<string, string>();

  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(raw, key, LIST_KEYS.has(key) ? splitList(value) : parseEnvValue(value));
    sources.set(key, `environment variable ${name}`);
  }
  if (env.ITA_LLM_BASE_URL && env.ITA_LLM_MODEL) {
    // A one-provider shortcut for the common case: an OpenAI-compatible endpoint set from the environment.
    setPath(raw, 'llm.providers', [
      { name: 'env', kind: 'openai', baseUrl: env.ITA_LLM_BASE_URL, model: env.ITA_LLM_MODEL, apiKeyEnv: 'ITA_LLM_API_KEY' },
    ]);
  }

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.');
      const source = sources.get(key) ?? (file ? `config file ${file}` : 'defaults');
      return `  ${key || '(root)'}: ${issue.message} (from ${source})`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`, { file });
  }
  const config = parsed.data;
  for (const provider of config.llm.providers) {
    if (!provider.apiKey && provider.apiKeyEnv) provider.apiKey = env[provider.apiKeyEnv];
  }
  if (!config.knowledge.embeddingApiKey) config.knowledge.embeddingApiKey = env[config.knowledge.embeddingApiKeyEnv ?? 'ITA_EMBEDDING_API_KEY'];
  // The shared store's PostgreSQL carries the queue too unless the queue is given its own.
  if (!config.queue.url && config.databaseUrl) config.queue.url = config.databaseUrl;
  config.dataDir = path.resolve(cwd, config.dataDir);
  config.setupsDir = path.resolve(cwd, config.setupsDir);
  config.governanceFile = path.resolve(cwd, config.governanceFile);
  config.logs.dir = path.resolve(config.dataDir, config.logs.dir);
  config.dbFile = config.dbFile === ':memory:' ? config.dbFile : path.resolve(config.dataDir, config.dbFile);
  return config;
}

/** The password inside a database or queue URL, if any. */
function databasePassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/** Values that must never reach a log line or a chat message. */
export function secretsOf(config: Config): string[] {
  const secrets = [databasePassword(config.databaseUrl), config.telegram.token, config.telegram.webhookSecret, config.exchange.apiKey, config.exchange.secret, config.knowledge.embeddingApiKey, config.notion.token];
  for (const provider of config.llm.providers) secrets.push(provider.apiKey);
  secrets.push(databasePassword(config.queue.url), databasePassword(config.benchDatabaseUrl));
  return secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
}

function defaultConfigFile(cwd: string): string | undefined {
  const candidate = path.join(cwd, 'ita.config.yaml');
  return existsSync(candidate) ? candidate : undefined;
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read config file ${file}`, { file }, { cause });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (cause) {
    throw new ConfigError(`config file ${file} is not valid YAML: ${(cause as Error).message}`, { file }, { cause });
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ConfigError(`config file ${file} must hold a mapping of keys to values`, { file });
  }
  return doc as Record<string, unknown>;
}

function splitList(value: string): string[] {
  return value
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function parseEnvValue(value: string): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}
