/**
 * One registry drives the command handlers, /help and the Telegram command menu (setMyCommands per language).
 * Other modules (positions, pnl, mode, ...) plug in with a single `registry.register({...})` call, before or after
 * the bot starts; the menu is refreshed by `publish()`.
 */
import type { Api, MiddlewareFn } from 'grammy';
import type { BotCommand } from 'grammy/types';
import type { BotContext } from '../context.ts';
import type { Language } from '../services.ts';
import { escapeHtml } from '../format/html.ts';
import { LANGUAGES, translate } from '../i18n/index.ts';

export interface CommandSpec {
  /** Lower-case, 1–32 of a-z 0-9 _ (Telegram's rule for menu commands). */
  name: string;
  description: Record<Language, string>;
  /** Everything after the command word, trimmed. */
  handler(ctx: BotContext, args: string): unknown;
  /** Left out of the menu and /help (still answered). */
  hidden?: boolean;
}

const NAME = /^[a-z0-9_]{1,32}$/;

export class CommandRegistry {
  private readonly specs = new Map<string, CommandSpec>();

  constructor(private readonly botUsername: () => string | undefined = () => undefined) {}

  register(spec: CommandSpec): this {
    if (!NAME.test(spec.name)) throw new Error(`command name "${spec.name}" must match ${NAME}`);
    if (this.specs.has(spec.name)) throw new Error(`command /${spec.name} is already registered`);
    for (const language of LANGUAGES) {
      const text = spec.description[language];
      if (!text || text.length > 256) throw new Error(`command /${spec.name} needs a ${language} description of 1–256 characters`);
    }
    this.specs.set(spec.name, spec);
    return this;
  }

  get(name: string): CommandSpec | undefined {
    return this.specs.get(name);
  }

  list(): CommandSpec[] {
    return [...this.specs.values()];
  }

  menu(language: Language): BotCommand[] {
    return this.list().filter((s) => !s.hidden).map((s) => ({ command: s.name, description: s.description[language] }));
  }

  helpText(language: Language): string {
    const lines = this.list().filter((s) => !s.hidden).map((s) => `/${s.name} — ${escapeHtml(s.description[language])}`);
    return [translate(language, 'help.title'), ...lines, '', translate(language, 'help.footer')].join('\n');
  }

  /** English is the default menu; Russian-speaking clients get theirs through the language_code scope. */
  async publish(api: Api): Promise<void> {
    await api.setMyCommands(this.menu('en'));
    await api.setMyCommands(this.menu('ru'), { language_code: 'ru' });
  }

  /** Dispatches "/name args" (also "/name@thisbot"); commands addressed to another bot are left alone. */
  middleware(): MiddlewareFn<BotContext> {
    return async (ctx, next) => {
      const parsed = parseCommand(ctx.message?.text);
      if (!parsed) return next();
      const me = this.botUsername();
      if (parsed.target && me && parsed.target.toLowerCase() !== me.toLowerCase()) return next();
      const spec = this.specs.get(parsed.name);
      if (!spec) {
        await ctx.reply(ctx.t('error.unknownCommand', { name: escapeHtml(parsed.name) }), { parse_mode: 'HTML' });
        return;
      }
      await spec.handler(ctx, parsed.args);
    };
  }
}

export function parseCommand(text: string | undefined): { name: string; target?: string; args: string } | undefined {
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,32}))?(?:\s+([\s\S]*))?$/.exec(text?.trim() ?? '');
  if (!match) return undefined;
  return { name: match[1].toLowerCase(), target: match[2], args: (match[3] ?? '').trim() };
}
