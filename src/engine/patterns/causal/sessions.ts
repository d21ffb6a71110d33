/**
 * Trading sessions and kill zones. A candle belongs to a session when its OPEN time, as wall-clock time in the
 * session's IANA zone, is in [start, end) (wrapping past midnight when start > end). The reference includes the
 * end minute; here a 07:00-16:00 session ends before the 16:00 candle. Built-ins are defined in local time so
 * they follow daylight saving: London and New York 08:00-17:00 local, Asia 09:00-18:00 Tokyo, and the ICT kill
 * zones in New York time.
 */
import type { Candle } from '../../types.ts';
import type { Step } from './events.ts';
import { parseClock, zoneClock } from './time-zone.ts';

export interface SessionDefinition {
  name: string;
  start: string;
  end: string;
  timeZone: string;
}

export const BUILT_IN_SESSIONS: readonly SessionDefinition[] = Object.freeze([
  { name: 'Asia', start: '09:00', end: '18:00', timeZone: 'Asia/Tokyo' },
  { name: 'London', start: '08:00', end: '17:00', timeZone: 'Europe/London' },
  { name: 'New York', start: '08:00', end: '17:00', timeZone: 'America/New_York' },
  { name: 'Asian kill zone', start: '20:00', end: '00:00', timeZone: 'America/New_York' },
  { name: 'London open kill zone', start: '02:00', end: '05:00', timeZone: 'America/New_York' },
  { name: 'New York open kill zone', start: '07:00', end: '10:00', timeZone: 'America/New_York' },
  { name: 'London close kill zone', start: '10:00', end: '12:00', timeZone: 'America/New_York' },
]);

export interface SessionState {
  name: string;
  active: boolean;
  /** Open time of the current (or last) session's first candle. */
  startTs: number;
  high: number;
  low: number;
}

/** A gap this long between two in-session candles means a new session (e.g. over a weekend). */
const NEW_SESSION_GAP_MS = 12 * 3_600_000;

export class SessionTracker {
  private readonly startMinute: number;
  private readonly endMinute: number;
  private active = false;
  private startTs = NaN;
  private high = NaN;
  private low = NaN;
  private lastIndex = -1;
  private lastTs = NaN;
  /** Local minute of day of an instant in the session's zone (the zone is looked up once). */
  private readonly minuteOf: (ts: number) => number;
  /** The frozen state, rebuilt only after something in it changed (see `state`). */
  private view: SessionState | undefined;

  constructor(readonly definition: SessionDefinition) {
    this.startMinute = parseClock(definition.start);
    this.endMinute = parseClock(definition.end);
    if (Number.isNaN(this.startMinute) || Number.isNaN(this.endMinute) || this.startMinute === this.endMinute) {
      throw new RangeError(`session "${definition.name}": start/end must be distinct HH:MM, got ${definition.start}-${definition.end}`);
    }
    // Throws RangeError for an unknown zone name, which callers turn into an input error.
    this.minuteOf = zoneClock(definition.timeZone);
  }

  /** The same object until the session changes, so a snapshot of an unchanged session costs nothing. */
  get state(): SessionState {
    return (this.view ??= Object.freeze({ name: this.definition.name, active: this.active, startTs: this.startTs, high: this.high, low: this.low }));
  }

  contains(ts: number): boolean {
    const t = this.minuteOf(ts);
    return this.startMinute < this.endMinute
      ? t >= this.startMinute && t < this.endMinute
      : t >= this.startMinute || t < this.endMinute;
  }

  update(step: Step): void {
    const c: Candle = step.candle;
    const inside = this.contains(c.ts);
    const continues = this.active && inside && c.ts - this.lastTs < NEW_SESSION_GAP_MS;
    if (this.active && !continues) this.end(step);
    if (inside) {
      if (continues) {
        if (c.high > this.high) {
          this.high = c.high;
          this.view = undefined;
        }
        if (c.low < this.low) {
          this.low = c.low;
          this.view = undefined;
        }
      } else {
        this.view = undefined;
        this.active = true;
        this.startTs = c.ts;
        this.high = c.high;
        this.low = c.low;
        step.emit({ kind: 'session-start', index: step.index, ts: c.ts, label: this.definition.name });
      }
      this.lastIndex = step.index;
      this.lastTs = c.ts;
    }
  }

  private end(step: Step): void {
    this.active = false;
    this.view = undefined;
    step.emit({
      kind: 'session-end',
      index: this.lastIndex,
      ts: this.lastTs,
      top: this.high,
      bottom: this.low,
      label: this.definition.name,
    });
  }
}
