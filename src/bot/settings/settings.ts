/**
 * /settings: minimum score, quiet hours, time zone, language and "plain text asks the knowledge base", as an inline
 * keyboard (common values) plus typed forms for anything else. Persisted through services.settings; the language
 * choice is also kept in the session so it overrides Telegram's language_code from then on.
 */
import { InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.ts';
import { html, type FeatureDeps } from '../feature.ts';
import type { Language, UserSettings } from '../services.ts';
import { escapeHtml } from '../format/html.ts';
import { isValidTimeZone } from '../format/time.ts';
import { translator } from '../i18n/index.ts';
import { splitArgs } from '../commands/args.ts';

export const TIMEZONE_PRESETS = ['UTC', 'Europe/London', 'Europe/Berlin', 'Europe/Moscow', 'Asia/Dubai', 'Asia/Singapore', 'America/New_York'] as const;
const QUIET_PRESETS = ['22:00-07:00', '23:00-08:00', '00:00-06:00'] as const;
const QUIET = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;

export function settingsView(t: BotContext['t'], s: UserSettings): string {
  return [
    t('settings.title'),
    t('settings.minScore', { value: s.minScore }),
    t('settings.quietHours', { value: s.quietHours ? escapeHtml(s.quietHours) : t('settings.quietOff') }),
    t('settings.timezone', { value: escapeHtml(s.timezone) }),
    t('settings.language'),
    t('settings.askOnPlainText', { value: t(s.askOnPlainText ? 'settings.on' : 'settings.off') }),
    '',
    t('settings.hint'),
  ].join('\n');
}

export function settingsKeyboard(t: BotContext['t'], s: UserSettings): InlineKeyboard {
  const keyboard = new InlineKeyboard()
    .text('➖', 'st:score:-').text(`⭐ ${s.minScore}`, 'st:nop').text('➕', 'st:score:+').row();
  QUIET_PRESETS.forEach((q) => keyboard.text(`${s.quietHours === q ? '• ' : ''}🌙 ${q}`, `st:quiet:${q}`));
  keyboard.text(`${s.quietHours ? '' : '• '}🔔 ${t('settings.quietOff')}`, 'st:quiet:off').row();
  TIMEZONE_PRESETS.forEach((zone, i) => {
    keyboard.text(`${s.timezone === zone ? '• ' : ''}${zone}`, `st:tz:${i}`);
    if (i % 3 === 2) keyboard.row();
  });
  return keyboard.row()
    .text('🇬🇧 English', 'st:lang:en').text('🇷🇺 Русский', 'st:lang:ru').row()
    .text(`${s.askOnPlainText ? '✅' : '⬜'} ${t('settings.askButton')}`, 'st:ask');
}

/** A typed "/settings key value" → a patch, or an error message. */
function parseTyped(args: string, t: BotContext['t'], current: UserSettings): Partial<UserSettings> | string {
  const [key, ...rest] = splitArgs(args);
  const value = rest.join(' ');
  switch (key?.toLowerCase()) {
    case 'score': {
      const score = Number(value.replace(',', '.'));
      return value !== '' && Number.isFinite(score) && score >= 0 && score <= 10 ? { minScore: score } : t('settings.badScore', { value: escapeHtml(value) });
    }
    case 'quiet':
      if (value.toLowerCase() === 'off') return { quietHours: undefined };
      if (!QUIET.test(value)) return t('settings.badQuiet', { value: escapeHtml(value) });
      // "22:00-22:00" is either no quiet time or all day; neither is what anyone means.
      if (value.slice(0, 5) === value.slice(6)) return t('tx.settings.quietSame', { value: escapeHtml(value) });
      return { quietHours: value };
    case 'tz':
      return value && isValidTimeZone(value) ? { timezone: value } : t('settings.badTimezone', { value: escapeHtml(value) });
    case 'lang':
      return value === 'en' || value === 'ru' ? { language: value } : t('settings.usage');
    case 'ask':
      return { askOnPlainText: !current.askOnPlainText };
    default:
      return t('settings.usage');
  }
}

export function installSettings(deps: FeatureDeps): void {
  const { registry, services, handlers } = deps;

  const save = async (ctx: BotContext, patch: Partial<UserSettings>): Promise<UserSettings> => {
    const updated = await services.settings.update(ctx.from!.id, patch);
    if (patch.language) {
      ctx.session.language = patch.language;
      ctx.lang = patch.language;
      ctx.t = translator(patch.language);
      // The command menu of this chat follows the choice (Telegram would otherwise keep the client-language menu).
      if (ctx.chat) {
        await ctx.api.setMyCommands(registry.menu(patch.language), { scope: { type: 'chat', chat_id: ctx.chat.id } }).catch((error: unknown) =>
          deps.logger.warn('command menu not updated', { chatId: ctx.chat!.id, error: error instanceof Error ? error.message : String(error) }));
      }
    }
    return updated;
  };

  registry.register({
    name: 'settings',
    description: { en: 'Minimum score, quiet hours, time zone, language', ru: 'Мин. оценка, тихие часы, часовой пояс, язык' },
    async handler(ctx, args) {
      let settings = await deps.settingsOf(ctx);
      if (args) {
        const patch = parseTyped(args, ctx.t, settings);
        if (typeof patch === 'string') return ctx.reply(patch, html);
        settings = await save(ctx, patch);
      }
      await ctx.reply(settingsView(ctx.t, settings), { ...html, reply_markup: settingsKeyboard(ctx.t, settings) });
    },
  });

  handlers.callbackQuery(/^st:(score:[+-]|quiet:(?:off|\d\d:\d\d-\d\d:\d\d)|tz:\d+|lang:(?:en|ru)|ask|nop)$/, async (ctx) => {
    const [kind, value] = ctx.match[1].split(/:(.*)/s);
    if (kind === 'nop') return void (await ctx.answerCallbackQuery());
    const current = await deps.settingsOf(ctx);
    let patch: Partial<UserSettings>;
    if (kind === 'score') patch = { minScore: Math.min(10, Math.max(0, current.minScore + (value === '+' ? 1 : -1))) };
    else if (kind === 'quiet') patch = { quietHours: value === 'off' ? undefined : value };
    else if (kind === 'tz') {
      const zone = TIMEZONE_PRESETS[Number(value)];
      if (!zone) return void (await ctx.answerCallbackQuery());
      patch = { timezone: zone };
    } else if (kind === 'lang') patch = { language: value as Language };
    else patch = { askOnPlainText: !current.askOnPlainText };
    const already = alreadySelected(ctx, current, patch);
    if (already !== undefined) return void (await ctx.answerCallbackQuery({ text: ctx.t('tx.settings.already', { value: already }) }));
    const updated = await save(ctx, patch);
    await ctx.answerCallbackQuery({ text: ctx.t('settings.saved') });
    await ctx.editMessageText(settingsView(ctx.t, updated), { ...html, reply_markup: settingsKeyboard(ctx.t, updated) });
  });
}

/** The label of a pressed choice that is already in effect (pressing it again changes nothing), else undefined. */
function alreadySelected(ctx: BotContext, current: UserSettings, patch: Partial<UserSettings>): string | undefined {
  if ('language' in patch) return patch.language === ctx.lang ? (patch.language === 'ru' ? 'Русский' : 'English') : undefined;
  if ('timezone' in patch) return patch.timezone === current.timezone ? patch.timezone : undefined;
  if ('quietHours' in patch) return patch.quietHours === current.quietHours ? (patch.quietHours ?? ctx.t('settings.quietOff')) : undefined;
  if ('minScore' in patch) return patch.minScore === current.minScore ? `⭐ ${current.minScore}` : undefined;
  return undefined;
}
