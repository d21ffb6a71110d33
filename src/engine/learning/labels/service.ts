/**
 * Labelled examples as a service for the bot and the CLI: a chart screenshot with a `label …` caption, a CSV file
 * of label lines, or one label from the command line. Labels go to SQLite, screenshots to
 * <dataDir>/labels/screenshots/, so both survive restarts. Replies are the engine's English templates; the bot and
 * the CLI translate them with the catalog (src/bot/i18n/engine-texts.ts, "labels"), errors and all.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { LearningDatabase } from '../store/schema.ts';
import { parseLabelCaption, parseLabelCsv, type LabelInput } from './parse.ts';
import { listLabels, saveLabel, type LabelSource, type StoredLabel } from './store.ts';

export interface LabelReply {
  ok: boolean;
  text: string;
  saved: StoredLabel[];
}

export class LabelService {
  constructor(
    private readonly db: Kysely<LearningDatabase>,
    private readonly dataDir: string,
  ) {}

  /** A photo (or document) caption; undefined when the caption is not a label at all (leave it to other handlers). */
  async fromCaption(caption: string, screenshot?: { bytes: Uint8Array; extension: string }): Promise<LabelReply | undefined> {
    const parsed = parseLabelCaption(caption);
    if (!parsed) return undefined;
    if (!parsed.ok) return { ok: false, text: `Label not saved: ${parsed.message}`, saved: [] };
    const file = screenshot ? this.saveScreenshot(parsed.label, screenshot) : undefined;
    const saved = await saveLabel(this.db, parsed.label, 'chat', { screenshot: file });
    return { ok: true, text: describeSaved([saved], []), saved: [saved] };
  }

  /** A CSV file of label lines: good lines are saved, bad ones reported by line number. */
  async importCsv(text: string, source: LabelSource = 'import'): Promise<LabelReply> {
    const { labels, errors } = parseLabelCsv(text);
    const saved: StoredLabel[] = [];
    for (const label of labels) saved.push(await saveLabel(this.db, label, source));
    return { ok: errors.length === 0 && saved.length > 0, text: describeSaved(saved, errors), saved };
  }

  async add(label: LabelInput, source: LabelSource = 'cli'): Promise<StoredLabel> {
    return saveLabel(this.db, label, source);
  }

  list(filter: { setupId?: string; symbol?: string } = {}): Promise<StoredLabel[]> {
    return listLabels(this.db, filter);
  }

  private saveScreenshot(label: LabelInput, screenshot: { bytes: Uint8Array; extension: string }): string {
    const extension = /^[a-z0-9]{1,5}$/i.test(screenshot.extension) ? screenshot.extension.toLowerCase() : 'bin';
    const relative = path.join('labels', 'screenshots', `${label.setupId}_${label.symbol.replace('/', '-')}_${label.timeframe}_${label.ts}_${label.side}.${extension}`);
    const file = path.join(this.dataDir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, screenshot.bytes);
    return relative;
  }
}

/** The label as one line of a reply: `fvg_retrace BTC/USDT 15m 2024-07-12 14:30 UTC long`. */
export function describeLabel(l: Pick<StoredLabel, 'setupId' | 'symbol' | 'timeframe' | 'ts' | 'side'>): string {
  return `${l.setupId} ${l.symbol} ${l.timeframe} ${new Date(l.ts).toISOString().slice(0, 16).replace('T', ' ')} UTC ${l.side}`;
}

function describeSaved(saved: StoredLabel[], errors: { line: number; message: string }[]): string {
  const lines: string[] = [];
  if (saved.length === 1 && errors.length === 0) lines.push(`Label saved: ${describeLabel(saved[0])}`);
  else lines.push(`Labels saved: ${saved.length}`);
  for (const e of errors.slice(0, 20)) lines.push(`line ${e.line}: ${e.message}`);
  if (errors.length > 20) lines.push(`… and ${errors.length - 20} more errors`);
  return lines.join('\n');
}
