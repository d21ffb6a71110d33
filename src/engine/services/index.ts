/**
 * The engine's half of the bot services (status, watchlist, setups, signals, settings). main.ts adds `charts` and
 * `knowledge` from their modules and hands the whole set to createBot.
 */
import type { MarketKey, Signal } from '../types.ts';
import type { JournalDb } from '../journal/signals.ts';
import type { SetupRegistry } from '../journal/setup-registry.ts';
import { createSettingsService, type SettingsDefaults } from './settings.ts';
import { createSetupsService, type SetupsServiceOptions } from './setups.ts';
import { createSignalsService } from './signals.ts';
import { createStatusService, type LiveRuntime } from './status.ts';
import { createWatchlistService } from './watchlist.ts';
import type { EngineServices, StoredRange } from './types.ts';
import { listMarkets } from '../store/candles.ts';
import type { Timeframe } from '../types.ts';

export type * from './types.ts';
export type { LiveRuntime } from './status.ts';
export type { SettingsDefaults } from './settings.ts';
export { loadUserSettings, defaultSettings, traderMinScore } from './settings.ts';

export interface EngineServicesOptions {
  db: JournalDb;
  registry: SetupRegistry;
  settings: SettingsDefaults;
  /** The execution mode /status shows; a function when it can change at run time (/mode live). */
  mode?: 'paper' | 'live' | (() => 'paper' | 'live');
  now?: () => number;
  startedAt?: number;
  runtime?: LiveRuntime;
  /** `by`: the Telegram user who approved (their own settings, e.g. the minimum score, apply). */
  onApprove?: (signal: Signal, by: number) => Promise<string>;
  outcomeOf?: (signalId: string) => Promise<string | undefined>;
  stats?: SetupsServiceOptions['stats'];
  edge?: SetupsServiceOptions['edge'];
  validateMarket?: (market: MarketKey) => Promise<string | undefined>;
  onWatchlistChange?: () => void;
  extraStatus?: () => Promise<string[]>;
}

export function createEngineServices(options: EngineServicesOptions): EngineServices {
  const now = options.now ?? Date.now;
  const { db, registry } = options;
  return {
    now,
    candles: {
      stored: async (): Promise<StoredRange[]> =>
        (await listMarkets(db)).map((m) => ({ exchange: m.exchange, symbol: m.symbol, timeframe: m.timeframe as Timeframe, count: Number(m.count), firstTs: Number(m.firstTs), lastTs: Number(m.lastTs) })),
    },
    status: createStatusService({ db, registry, mode: options.mode ?? 'paper', startedAt: options.startedAt ?? now(), now, runtime: options.runtime, extra: options.extraStatus }),
    watchlist: createWatchlistService({ db, now, validate: options.validateMarket, onChange: options.onWatchlistChange }),
    setups: createSetupsService({ registry, stats: options.stats, edge: options.edge }),
    signals: createSignalsService({ db, now, onApprove: options.onApprove, outcomeOf: options.outcomeOf, registry }),
    settings: createSettingsService(db, options.settings, now),
  };
}
