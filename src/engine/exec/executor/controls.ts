/**
 * The trader's switches: pause / resume (also the only way out of the kill switch) and the paper → live switch.
 * Live needs BOTH the configuration (`mode: live`, a live broker) and a one-time code the bot shows in a
 * confirmation conversation: requestLive() issues it, confirmLive(code) switches. Anything else stays paper.
 */
import { createHash, randomInt } from 'node:crypto';
import { StaleConfirmationError } from '../../errors.ts';
import { resume as resumeKillSwitch } from '../../risk/index.ts';
import type { ExecutorCore } from './core.ts';

const LIVE_CODE_TTL_MS = 5 * 60_000;

export async function pause(core: ExecutorCore, by: string): Promise<string> {
  await core.saveFlags({ ...core.flags, paused: true, pausedBy: by });
  return 'paused: no new entries; open positions keep their stops and their management';
}

/**
 * A short fingerprint of what /resume acts on: the pause, the kill switch and the daily lock. A confirmation button
 * carries the token of the state it was shown for; if anything changed since (a later /pause, a new trip), the token
 * differs and the stale confirmation does nothing.
 */
export function controlToken(core: ExecutorCore): string {
  const p = core.portfolio;
  const state = [core.flags.paused, core.flags.pausedBy ?? '', p.killSwitch.status, p.killSwitch.status === 'tripped' ? p.killSwitch.at : '', p.dailyLock?.at ?? ''].join('|');
  return createHash('sha256').update(state).digest('hex').slice(0, 8);
}

export async function resume(core: ExecutorCore, by: string, expectedToken?: string): Promise<string> {
  if (expectedToken !== undefined && expectedToken !== controlToken(core)) {
    throw new StaleConfirmationError('the state changed since this question was shown (a later pause, or a new kill-switch trip); nothing was resumed: send /resume again');
  }
  const wasTripped = core.portfolio.killSwitch.status === 'tripped';
  await core.setPortfolio(resumeKillSwitch(core.portfolio, by, core.now()));
  await core.saveFlags({ ...core.flags, paused: false, pausedBy: undefined });
  return wasTripped ? `kill switch lifted by ${by}; the drawdown window restarts now` : 'resumed: new entries allowed again';
}

export async function requestLive(core: ExecutorCore): Promise<{ ok: true; code: string; expiresAt: number } | { ok: false; reason: string }> {
  if (core.options.configuredMode !== 'live') return { ok: false, reason: 'the configuration says mode: paper; set mode: live and restart to allow live trading' };
  if (!core.options.liveBroker && !core.options.livePerpBroker) return { ok: false, reason: core.options.liveUnavailable ?? 'no live broker is configured (exchange API keys missing)' };
  const code = core.options.randomCode?.() ?? String(randomInt(100_000, 1_000_000));
  const expiresAt = core.now() + LIVE_CODE_TTL_MS;
  await core.saveFlags({ ...core.flags, liveCode: { code, expiresAt } });
  return { ok: true, code, expiresAt };
}

export async function confirmLive(core: ExecutorCore, code: string): Promise<{ ok: boolean; text: string }> {
  const pending = core.flags.liveCode;
  // One attempt per code: a wrong guess burns it, so a code cannot be guessed by trying.
  await core.saveFlags({ ...core.flags, liveCode: undefined });
  if (!pending || pending.code !== code || core.now() > pending.expiresAt || core.options.configuredMode !== 'live' || !(core.options.liveBroker ?? core.options.livePerpBroker)) {
    return { ok: false, text: 'live trading NOT enabled: the confirmation code is wrong, used or expired; still paper' };
  }
  await core.saveFlags({ ...core.flags, mode: 'live' });
  core.emit({ type: 'mode', mode: 'live' });
  return { ok: true, text: 'LIVE trading enabled: new approvals place real orders' };
}
