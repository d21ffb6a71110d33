/** User settings: stored as the user's own changes over config defaults, validated on the way in. */
import { InputError } from '../errors.ts';
import { getStoredSettings, putStoredSettings } from '../journal/settings.ts';
import type { JournalDb } from '../journal/signals.ts';
import { parseQuietHours } from '../live/quiet-hours.ts';
import type { EngineServices, UserSettings } from './types.ts';

export interface SettingsDefaults {
  minScore: number;
  timezone: string;
  language?: UserSettings['language'];
  askOnPlainText?: boolean;
}

export function defaultSettings(defaults: SettingsDefaults): UserSettings {
  return { language: defaults.language ?? 'en', minScore: defaults.minScore, timezone: defaults.timezone, askOnPlainText: defaults.askOnPlainText ?? true };
}

export async function loadUserSettings(db: JournalDb, userId: number, defaults: SettingsDefaults): Promise<UserSettings> {
  return { ...defaultSettings(defaults), ...(await getStoredSettings(db, userId)) } as UserSettings;
}

/**
 * The minimum score a trader's signals are held to, in both places it applies: what is pushed to them (the live
 * pipeline) and what their Approve may enter (the executor's signal policy). Their own setting, else the config's.
 */
export async function traderMinScore(db: JournalDb, userId: number, defaults: SettingsDefaults): Promise<number> {
  return (await loadUserSettings(db, userId, defaults)).minScore;
}

export function createSettingsService(db: JournalDb, defaults: SettingsDefaults, now: () => number): EngineServices['settings'] {
  return {
    get: (userId) => loadUserSettings(db, userId, defaults),
    async update(userId, patch) {
      validatePatch(patch);
      const stored = { ...(await getStoredSettings(db, userId)) };
      for (const [key, value] of Object.entries(patch)) {
        // quietHours: undefined switches quiet hours off.
        if (value === undefined) delete stored[key];
        else stored[key] = value;
      }
      await putStoredSettings(db, userId, stored, now());
      return loadUserSettings(db, userId, defaults);
    },
  };
}

function validatePatch(patch: Partial<UserSettings>): void {
  if (patch.language !== undefined && patch.language !== 'en' && patch.language !== 'ru') {
    throw new InputError(`language must be "en" or "ru", got "${patch.language}"`, { field: 'language', value: patch.language });
  }
  if (patch.minScore !== undefined && !(Number.isFinite(patch.minScore) && patch.minScore >= 0 && patch.minScore <= 10)) {
    throw new InputError(`minScore must be a number from 0 to 10, got ${patch.minScore}`, { field: 'minScore', value: patch.minScore });
  }
  if (patch.timezone !== undefined && !isTimeZone(patch.timezone)) {
    throw new InputError(`unknown time zone "${patch.timezone}" (use an IANA name such as Europe/Moscow)`, { field: 'timezone', value: patch.timezone });
  }
  if (patch.quietHours !== undefined) parseQuietHours(patch.quietHours);
  if (patch.askOnPlainText !== undefined && typeof patch.askOnPlainText !== 'boolean') {
    throw new InputError('askOnPlainText must be true or false', { field: 'askOnPlainText', value: String(patch.askOnPlainText) });
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
