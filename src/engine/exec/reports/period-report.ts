/** The trader's period report: PnL in quote and R per setup, trades, limits in words, and the equity curve as a PNG. */
import type { PnlSummary } from '../executor/types.ts';
import type { ExecutorDb } from '../executor/store.ts';
import { equitySince } from '../executor/store.ts';

export function formatPnl(p: PnlSummary): string[] {
  const lines = [
    `${p.period === 'day' ? 'Today' : p.period === 'week' ? 'This week' : 'This month'} (since ${new Date(p.from).toISOString().slice(0, 16).replace('T', ' ')} UTC):`,
    `  realized ${signed(p.realized)} (${signed(p.realizedR)}R) over ${p.trades} trade(s), ${p.wins} win(s)`,
    `  open ${signed(p.unrealized)} (${signed(p.unrealizedR)}R); total ${signed(p.total)}`,
  ];
  for (const s of p.bySetup) {
    lines.push(`  ${s.setupId}: ${s.trades} trade(s) ${signed(s.realized)} (${signed(s.realizedR)}R)${s.unrealized !== 0 ? `, open ${signed(s.unrealized)}` : ''}`);
  }
  return lines;
}

export async function renderPeriodReport(
  db: ExecutorDb,
  pnl: PnlSummary,
  riskLines: string[],
  currency = 'USDT',
): Promise<{ text: string; equityPng?: Buffer }> {
  const text = [...formatPnl(pnl), '', 'Risk:', ...riskLines.map((l) => `  ${l}`)].join('\n');
  const points = await equitySince(db, pnl.from);
  if (points.length < 2) return { text };
  // Charts pull in canvas: loaded only when a report is actually drawn.
  const { renderEquityChart } = await import('../../charts/index.ts');
  const chart = await renderEquityChart({
    title: `Equity · ${pnl.period} report`,
    points,
    currency,
    stats: [`Trades ${pnl.trades}`, `Realized ${signed(pnl.realized)}`, `R ${signed(pnl.realizedR)}`],
  });
  return { text, equityPng: chart.png };
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
}
