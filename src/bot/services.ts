/**
 * What the Telegram bot needs from the rest of ITA. The bot is a thin transport (parse → call a service → format);
 * main.ts builds these services from the engine and the knowledge base and hands them to createBot. Tests pass fakes
 * or the real services over temporary SQLite files.
 */
import type { MarketKey, Signal } from '../engine/types.ts';
import type { BacktestProgress, BacktestRequest, BacktestResult, EngineServices, Language } from '../engine/services/types.ts';
import type { LabService, TheoryService } from '../engine/lab/service-types.ts';

export type * from '../engine/services/types.ts';

export interface KnowledgeDocument {
  id: number;
  name: string;
  pages?: number;
  chunks: number;
  addedAt: number;
}

export interface IngestProgress {
  stage: string;
  done: number;
  total: number;
}

export interface BotServices extends EngineServices {
  charts: {
    signal(signal: Signal): Promise<Buffer>;
    /** Annotated chart of a market now (last candles, patterns, no signal); `at` = the run's clock (replay). */
    market(market: MarketKey, at?: number): Promise<Buffer>;
  };
  backtest?: {
    /** Markets with stored candles that a backtest can run on. */
    markets(): Promise<MarketKey[]>;
    run(request: BacktestRequest, onProgress: (p: BacktestProgress) => void, signal: AbortSignal): Promise<BacktestResult>;
  };
  knowledge?: {
    ingest(name: string, bytes: Buffer, onProgress: (p: IngestProgress) => void): Promise<{ document: KnowledgeDocument; duplicate: boolean }>;
    list(): Promise<KnowledgeDocument[]>;
    remove(id: number): Promise<boolean>;
    /** Answer formatted as Telegram HTML. */
    ask(question: string, language: Language): Promise<string>;
    /** The same answer with the passages it cites (for "Test this" and the verdicts beside the citations). */
    answer?(question: string, language: Language): Promise<{ html: string; passages: CitedPassage[] }>;
  };
  /** The strategy lab (/lab) and theory testing (/theory, "Test this"). */
  lab?: { lab: LabService; theory: TheoryService };
}

export interface CitedPassage {
  chunkId: number;
  documentId: number;
  document: string;
  page?: number;
  heading?: string;
  text: string;
}
