/** Parsing of option values shared by CLI commands. */
import { InputError } from '../engine/errors.ts';

/** Accepts epoch milliseconds or an ISO-8601 date/time (a bare date is midnight UTC). */
export function parseTime(value: string, field: string): number {
  if (/^\d{10,}$/.test(value)) return Number(value);
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) throw new InputError(`--${field} must be an ISO date (2024-07-10) or epoch ms, got "${value}"`, { field, value });
  return ms;
}
