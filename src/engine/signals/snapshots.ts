/**
 * A short ring of per-candle snapshots: every series a market's setups read (prices, indicator outputs, levels),
 * one Float64Array row per closed candle. `@N` look-backs read older rows; nothing else is kept.
 *
 * Hot path (every operand of every rule reads through `at`): the ring has a power-of-two number of rows so a row is
 * found with a mask, not a division; look-backs of `depth` or more still read NaN, as a ring of exactly `depth` would.
 */
export class SnapshotRing {
  private readonly rows: Float64Array[];
  private readonly mask: number;
  private readonly depth: number;
  private count = 0;

  constructor(
    readonly columns: ReadonlyMap<string, number>,
    depth: number,
  ) {
    this.depth = Math.max(2, depth);
    let size = 2;
    while (size < this.depth) size *= 2;
    this.mask = size - 1;
    this.rows = Array.from({ length: size }, () => new Float64Array(columns.size).fill(NaN));
  }

  /**
   * Starts the row for a new candle and returns it for writing. The writer sets the same columns on every candle and
   * the others are never written, so the row needs no clearing: what it holds is overwritten or still NaN.
   */
  next(): Float64Array {
    return this.rows[this.count++ & this.mask];
  }

  /** Value of `column` `offset` candles ago (0 = latest); NaN when unknown or older than the ring. */
  get(column: string, offset: number): number {
    const index = this.columns.get(column);
    return index === undefined ? NaN : this.at(index, offset);
  }

  /** Same as get, by column index (the hot path resolves names once). */
  at(index: number, offset: number): number {
    if (index < 0 || offset >= this.depth || offset >= this.count) return NaN;
    return this.rows[(this.count - 1 - offset) & this.mask][index];
  }
}
