/**
 * The user's language follows Telegram's language_code (ru* → Russian, en* → English, anything else or nothing → the
 * configured language, ITA_LANGUAGE) until they pick one in /settings. Texts the engine writes in English are
 * translated by engine-translator.ts.
 */
import type { Language } from '../services.ts';
import { messages as baseMessages } from './messages.ts';
import { transportMessages } from './messages-transport.ts';
import { reconcileMessages } from './messages-reconcile.ts';
import { labMessages } from './messages-lab.ts';
import { digestMessages } from './messages-digest.ts';

export const messages = { ...baseMessages, ...transportMessages, ...reconcileMessages, ...labMessages, ...digestMessages };
export type MessageKey = keyof typeof messages;

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function languageFromCode(code: string | undefined, fallback: Language = 'en'): Language {
  const lower = code?.toLowerCase() ?? '';
  if (lower.startsWith('ru')) return 'ru';
  if (lower.startsWith('en')) return 'en';
  return fallback;
}

export { localizeEngineText, localizeEngineLines } from './engine-translator.ts';

export function translate(language: Language, key: MessageKey, vars: Record<string, string | number> = {}): string {
  const template: string = messages[key][language];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function translator(language: Language): Translate {
  return (key, vars) => translate(language, key, vars);
}

export const LANGUAGES: readonly Language[] = ['en', 'ru'];
