/**
 * The Notion columns ITA writes, and a row turned into page properties. The trader names the databases; ITA adds
 * any column it needs that is missing (never renames or removes the trader's own columns).
 */
import type { BacktestRow, TradeRow } from './rows.ts';

export type PropertyType = 'title' | 'rich_text' | 'number' | 'date' | 'select';
export type Columns = Record<string, PropertyType>;

/** The stable key column: an export run again finds its page by it. */
export const KEY_COLUMN = 'ITA id';

export const BACKTEST_COLUMNS: Columns = {
  Name: 'title',
  [KEY_COLUMN]: 'rich_text',
  Setup: 'select',
  Version: 'rich_text',
  Market: 'rich_text',
  Period: 'date',
  Trades: 'number',
  'Win rate %': 'number',
  'Average R': 'number',
  'Expectancy R': 'number',
  'Max drawdown %': 'number',
  'Profit factor': 'number',
  'Return %': 'number',
};

export const TRADE_COLUMNS: Columns = {
  Name: 'title',
  [KEY_COLUMN]: 'rich_text',
  Setup: 'select',
  Version: 'rich_text',
  Symbol: 'rich_text',
  Side: 'select',
  Account: 'select',
  Opened: 'date',
  Closed: 'date',
  Entry: 'number',
  Exit: 'number',
  R: 'number',
  PnL: 'number',
  Fees: 'number',
  Reason: 'rich_text',
};

type PropertyValue = Record<string, unknown>;

const text = (value: string): PropertyValue => ({ rich_text: [{ type: 'text', text: { content: value.slice(0, 2000) } }] });
const title = (value: string): PropertyValue => ({ title: [{ type: 'text', text: { content: value.slice(0, 2000) } }] });
// Notion numbers are finite or null; a NaN or Infinity would be refused.
const number = (value: number | null): PropertyValue => ({ number: value !== null && Number.isFinite(value) ? Math.round(value * 1e6) / 1e6 : null });
const select = (value: string): PropertyValue => ({ select: { name: value.replace(/,/g, ' ').slice(0, 100) } });
const iso = (ts: number) => new Date(ts).toISOString();

export function backtestProperties(row: BacktestRow): Record<string, PropertyValue> {
  return {
    Name: title(`${row.setup} ${row.market}`),
    [KEY_COLUMN]: text(row.key),
    Setup: select(row.setup),
    Version: text(row.version),
    Market: text(row.market),
    Period: { date: { start: iso(row.from), end: iso(row.to) } },
    Trades: number(row.trades),
    'Win rate %': number(row.winRatePct),
    'Average R': number(row.avgR),
    'Expectancy R': number(row.expectancyR),
    'Max drawdown %': number(row.maxDrawdownPct),
    'Profit factor': number(row.profitFactor),
    'Return %': number(row.returnPct),
  };
}

export function tradeProperties(row: TradeRow): Record<string, PropertyValue> {
  return {
    Name: title(`${row.setup} ${row.symbol} ${row.side}`),
    [KEY_COLUMN]: text(row.key),
    Setup: select(row.setup),
    Version: text(row.version),
    Symbol: text(row.symbol),
    Side: select(row.side),
    Account: select(row.account),
    Opened: { date: { start: iso(row.openedAt) } },
    Closed: { date: { start: iso(row.closedAt) } },
    Entry: number(row.entry),
    Exit: number(row.exit),
    R: number(row.r),
    PnL: number(row.pnl),
    Fees: number(row.fees),
    Reason: text(row.reason ?? ''),
  };
}
