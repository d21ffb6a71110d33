/**
 * Labelled examples as a service for the bot and the CLI: a chart screenshot with a `label …` caption, a CSV file
 * of label lines, or one label from the command line. Labels go to SQLite, screenshots to
 * <dataDir>/labels/screenshots/, so both survive restarts. Replies are in the trader's language.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { parseLabelCaption, parseLabelCsv, type LabelInput } from './parse.ts';
import { listLabels, saveLabel, type LabelSource, type StoredLabel } from './store.ts';

export type Lang = 'en' | 'ru';

export interface LabelReply {
  ok: boolean;
  text: string;
  saved: StoredLabel[];
}

export class LabelService {
  constructor(
    private readonly db: Kysely<any>,
    private readonly dataDir: string,
  ) {}

  /** A photo (or document) caption; undefined when the caption is not a label at all (leave it to other handlers). */
  async fromCaption(caption: string, screenshot?: { bytes: Uint8Array; extension: string }, lang: Lang = 'en'): Promise<LabelReply | undefined> {
    const parsed = parseLabelCaption(caption);
    if (!parsed) return undefined;
    if (!parsed.ok) return { ok: false, text: lang === 'ru' ? `Метка не сохранена: ${parsed.message}` : `Label not saved: ${parsed.message}`, saved: [] };
    const file = screenshot ? this.saveScreenshot(parsed.label, screenshot) : undefined;
    const saved = await saveLabel(this.db, parsed.label, 'chat', { screenshot: file });
    return { ok: true, text: describeSaved([saved], [], lang), saved: [saved] };
  }

  /** A CSV file of label lines: good lines are saved, bad ones reported by line number. */
  async importCsv(text: string, source: LabelSource = 'import', lang: Lang = 'en'): Promise<LabelReply> {
    const { labels, errors } = parseLabelCsv(text);
    const saved: StoredLabel[] = [];
    for (const label of labels) saved.push(await saveLabel(this.db, label, source));
    return { ok: errors.length === 0 && saved.length > 0, text: describeSaved(saved, errors, lang), saved };
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

function describeSaved(saved: StoredLabel[], errors: { line: number; message: string }[], lang: Lang): string {
  const when = (l: StoredLabel) => new Date(l.ts).toISOString().slice(0, 16).replace('T', ' ');
  const lines: string[] = [];
  if (saved.length === 1 && errors.length === 0) {
    const l = saved[0];
    lines.push(lang === 'ru' ? `Метка сохранена: ${l.setupId} ${l.symbol} ${l.timeframe} ${when(l)} UTC ${l.side}` : `Label saved: ${l.setupId} ${l.symbol} ${l.timeframe} ${when(l)} UTC ${l.side}`);
  } else {
    lines.push(lang === 'ru' ? `Сохранено меток: ${saved.length}` : `Labels saved: ${saved.length}`);
  }
  for (const e of errors.slice(0, 20)) lines.push(lang === 'ru' ? `строка ${e.line}: ${e.message}` : `line ${e.line}: ${e.message}`);
  if (errors.length > 20) lines.push(lang === 'ru' ? `… и ещё ${errors.length - 20} ошибок` : `… and ${errors.length - 20} more errors`);
  return lines.join('\n');
}
