/** Repository of labelled examples (learning_labels). The same label twice is one label (the newest source wins). */
import type { Kysely } from 'kysely';
import type { Side, Timeframe } from '../../types.ts';
import type { LearningDatabase } from '../store/schema.ts';
import type { LabelInput } from './parse.ts';
import { byteOrder } from '../../store/dialect.ts';

export type LabelSource = 'cli' | 'import' | 'chat';

export interface StoredLabel extends LabelInput {
  id: number;
  source: LabelSource;
  /** Screenshot file under the data directory, if one came with the label. */
  screenshot?: string;
  createdAt: number;
}

export async function saveLabel(db: Kysely<LearningDatabase>, label: LabelInput, source: LabelSource, options: { screenshot?: string; now?: number } = {}): Promise<StoredLabel> {
  const row = {
    setup_id: label.setupId,
    symbol: label.symbol,
    timeframe: label.timeframe,
    ts: label.ts,
    side: label.side,
    source,
    screenshot: options.screenshot ?? null,
    created_at: options.now ?? Date.now(),
  };
  const update = options.screenshot ? { source, screenshot: row.screenshot } : { source };
  const saved = await db
    .insertInto('learning_labels')
    .values(row)
    .onConflict((oc) => oc.columns(['setup_id', 'symbol', 'timeframe', 'ts', 'side']).doUpdateSet(update))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toLabel(saved);
}

export async function listLabels(db: Kysely<LearningDatabase>, filter: { setupId?: string; symbol?: string } = {}): Promise<StoredLabel[]> {
  let query = db.selectFrom('learning_labels').selectAll();
  if (filter.setupId) query = query.where('setup_id', '=', filter.setupId);
  if (filter.symbol) query = query.where('symbol', '=', filter.symbol);
  // The same order on every store: the examples feed training, whose folds follow it.
  const rows = await query.orderBy(byteOrder(db, 'setup_id')).orderBy(byteOrder(db, 'symbol')).orderBy('ts').execute();
  return rows.map(toLabel);
}

export async function removeLabel(db: Kysely<LearningDatabase>, id: number): Promise<boolean> {
  const result = await db.deleteFrom('learning_labels').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

function toLabel(row: { id: number; setup_id: string; symbol: string; timeframe: string; ts: number; side: string; source: string; screenshot: string | null; created_at: number }): StoredLabel {
  const label: StoredLabel = {
    id: row.id,
    setupId: row.setup_id,
    symbol: row.symbol,
    timeframe: row.timeframe as Timeframe,
    ts: row.ts,
    side: row.side as Side,
    source: row.source as LabelSource,
    createdAt: row.created_at,
  };
  if (row.screenshot) label.screenshot = row.screenshot;
  return label;
}
