/**
 * The user's language follows Telegram's language_code (ru* → Russian, anything else → English) until they pick one
 * in /settings.
 */
import type { Language } from '../services.ts';
import { messages as baseMessages } from './messages.ts';
import { transportMessages } from './messages-transport.ts';

export const messages = { ...baseMessages, ...transportMessages };
export type MessageKey = keyof typeof messages;

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function languageFromCode(code: string | undefined): Language {
  return code?.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export function translate(language: Language, key: MessageKey, vars: Record<string, string | number> = {}): string {
  const template: string = messages[key][language];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function translator(language: Language): Translate {
  return (key, vars) => translate(language, key, vars);
}

export const LANGUAGES: readonly Language[] = ['en', 'ru'];
