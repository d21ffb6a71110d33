/**
 * Close reasons the broker writes that the trader reads (in /positions history, the trade-closed message and the
 * Approve verdict). Kept apart so the i18n test scans exactly these sentences (src/bot/i18n/engine-texts.ts).
 */

/** Start of the close reason of a fill that could not be protected; the executor recognises it by this prefix. */
export const STOP_REFUSED_PREFIX = 'the venue refused the protective stop';

/** The venue refused the stop after an entry fill, so the fill was exited at market at once (never held naked). */
export function stopRefusedReason(stop: number, venueMessage: string): string {
  return `${STOP_REFUSED_PREFIX} at ${stop} (${venueMessage}); the fill was sold at market at once`;
}

export function isStopRefused(reason: string | undefined): boolean {
  return reason?.startsWith(STOP_REFUSED_PREFIX) ?? false;
}
