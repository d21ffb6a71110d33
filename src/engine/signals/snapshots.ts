/**
 * A short ring of per-candle snapshots: every series a market's setups read (prices, indicator outputs, levels),
 * one Float64Array row per closed candle. `@N` look-backs read older rows; nothing else is kept.
 */
export class SnapshotRing {
  private readonly rows: Float64Array[];
  private count = 0;

  constructor(
    readonly columns: ReadonlyMap<string, number>,
    depth: number,
  ) {
    this.rows = Array.from({ length: Math.max(2, depth) }, () => new Float64Array(columns.size).fill(NaN));
  }

  /** Starts the row for a new candle and returns it for writing (previous contents are overwritten). */
  next(): Float64Array {
    const row = this.rows[this.count % this.rows.length];
    row.fill(NaN);
    this.count++;
    return row;
  }

  /** Value of `column` `offset` candles ago (0 = latest); NaN when unknown or older than the ring. */
  get(column: string, offset: number): number {
    const index = this.columns.get(column);
    return index === undefined ? NaN : this.at(index, offset);
  }

  /** Same as get, by column index (the hot path resolves names once). */
  at(index: number, offset: number): number {
    if (index < 0 || offset >= this.rows.length || offset >= this.count) return NaN;
    return this.rows[(this.count - 1 - offset) % this.rows.length][index];
  }
}
