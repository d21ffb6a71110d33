/**
 * The grammY context every ITA handler receives: the session (per user), the conversations control panel and the
 * user's language and translator, resolved once per update.
 */
import type { Context, SessionFlavor } from 'grammy';
import type { ConversationFlavor } from '@grammyjs/conversations';
import type { Language, SetupDraft } from './services.ts';
import type { Translate } from './i18n/index.ts';

export interface PendingParamChange {
  setupId: string;
  name: string;
  value: number;
  at: number;
}

/** Small per-user state that must survive a restart. */
export interface BotSession {
  /** Set once the user picks a language in /settings; until then Telegram's language_code decides. */
  language?: Language;
  /** The language of the user's Telegram client as last seen, for messages the bot sends on its own (signals). */
  clientLanguage?: Language;
  /** A /setup ID set PARAM VALUE waiting for the Confirm button. */
  pendingParam?: PendingParamChange;
  /** A drafted setup edit or clone waiting for the Confirm button. */
  pendingDraft?: { draft: SetupDraft; at: number };
}

export interface LanguageFlavor {
  lang: Language;
  t: Translate;
  /** Set for button presses: called when no handler took the press (see transport/callback-answers.ts). */
  callbackUnhandled?: () => void;
}

export type BotContext = ConversationFlavor<Context & SessionFlavor<BotSession> & LanguageFlavor>;
