/**
 * REFERENCE sessions: `smc.sessions`. Time of day (UTC, "HH:MM") compared with both ends inclusive; running
 * session high/low restart after any inactive candle and are 0 outside; stored as float32.
 */
import { f32, type OhlcSeries } from './series.ts';

export const REFERENCE_SESSIONS: Record<string, { start: string; end: string }> = {
  Sydney: { start: '21:00', end: '06:00' },
  Tokyo: { start: '00:00', end: '09:00' },
  London: { start: '07:00', end: '16:00' },
  'New York': { start: '13:00', end: '22:00' },
  'Asian kill zone': { start: '00:00', end: '04:00' },
  'London open kill zone': { start: '06:00', end: '09:00' },
  'New York kill zone': { start: '11:00', end: '14:00' },
  'london close kill zone': { start: '14:00', end: '16:00' },
};

export interface SessionColumns {
  active: Float64Array;
  high: Float64Array;
  low: Float64Array;
}

function hhmm(ts: number): string {
  return new Date(ts).toISOString().slice(11, 16);
}

export function referenceSessions(s: OhlcSeries, start: string, end: string): SessionColumns {
  const n = s.length;
  const out: SessionColumns = { active: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const t = hhmm(s.ts[i]);
    const inside = start < end ? start <= t && t <= end : start <= t || t <= end;
    if (!inside) continue;
    out.active[i] = 1;
    out.high[i] = f32(Math.max(s.high[i], i > 0 ? out.high[i - 1] : 0));
    out.low[i] = f32(Math.min(s.low[i], i > 0 && out.low[i - 1] !== 0 ? out.low[i - 1] : Infinity));
  }
  return out;
}
