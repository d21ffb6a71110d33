/**
 * Long lists as pages of one message, turned with ◀ ▶ buttons that edit it in place. A page is rebuilt from the
 * list's source when a button is pressed (minutes or a restart later), so buttons never carry content, only
 * "kind:page:arg" (well under the 64-byte callback_data limit), and the data is validated again when it returns.
 * Every page repeats the header and the footer and fits Telegram's limit as Telegram measures it.
 */
import { InlineKeyboard, type Composer } from 'grammy';
import type { BotContext } from '../context.ts';
import { TEXT_LIMIT, telegramLength, truncateHtml } from './telegram-text.ts';

export interface PagedContent {
  /** Shown on top of every page (HTML). */
  header: string;
  /** One entry per listed thing (HTML); an entry is never split across pages. */
  items: string[];
  /** Shown under every page (HTML). */
  footer?: string;
}

/** Packs items into pages of at most `limit` visible characters, header and footer on each. */
export function paginate(content: PagedContent, limit = TEXT_LIMIT, maxItemsPerPage = Infinity): string[] {
  const frame = (body: string[]) => [content.header, ...body, ...(content.footer ? ['', content.footer] : [])].join('\n');
  const room = limit - telegramLength(frame([]));
  const pages: string[][] = [];
  let current: string[] = [];
  for (const raw of content.items) {
    // An entry that alone exceeds a page is cut (safely) rather than refused.
    const item = telegramLength(raw) + 1 > room ? truncateHtml(raw, Math.max(1, room - 1)) : raw;
    if (current.length > 0 && (telegramLength(frame([...current, item])) > limit || current.length >= maxItemsPerPage)) {
      pages.push(current);
      current = [];
    }
    current.push(item);
  }
  if (current.length > 0 || pages.length === 0) pages.push(current);
  return pages.map(frame);
}

const KIND = /^[a-z]{1,12}$/;
const ARG = /^[A-Za-z0-9_.-]{0,40}$/;
const PAGE_DATA = /^pg:([a-z]{1,12}):(\d{1,4})(?::([A-Za-z0-9_.-]{0,40}))?$/;

export interface PageSourceSpec {
  /** Rebuilds the list for the presser; undefined when `arg` is not valid (any more). */
  load(ctx: BotContext, arg: string): Promise<PagedContent | undefined>;
  maxItemsPerPage?: number;
}

export class Pager {
  private readonly sources = new Map<string, PageSourceSpec>();

  constructor(handlers: Composer<BotContext>) {
    handlers.callbackQuery(PAGE_DATA, async (ctx, next) => {
      const [, kind, page, arg = ''] = ctx.match;
      const source = this.sources.get(kind);
      // Another Pager (another feature) may own this kind.
      if (!source) return next();
      await ctx.answerCallbackQuery();
      const content = await source.load(ctx, arg);
      if (!content) {
        await ctx.editMessageReplyMarkup({ reply_markup: undefined });
        return;
      }
      const pages = paginate(content, TEXT_LIMIT, source.maxItemsPerPage);
      // The list may have shrunk since the button was drawn: show its last page instead.
      const index = Math.min(Number(page), pages.length - 1);
      await ctx.editMessageText(pages[index], { parse_mode: 'HTML', reply_markup: pageKeyboard(kind, index, pages.length, arg) });
    });
  }

  register(kind: string, spec: PageSourceSpec): void {
    if (!KIND.test(kind)) throw new Error(`page kind "${kind}" must match ${KIND}`);
    if (this.sources.has(kind)) throw new Error(`page kind "${kind}" is already registered`);
    this.sources.set(kind, spec);
  }

  /** Sends page 1 of the list (with page buttons when there is more than one). */
  async reply(ctx: BotContext, kind: string, arg = ''): Promise<void> {
    const source = this.sources.get(kind);
    if (!source) throw new Error(`page kind "${kind}" is not registered`);
    if (!ARG.test(arg)) throw new Error(`page argument "${arg}" must match ${ARG}`);
    const content = await source.load(ctx, arg);
    if (!content) return;
    await this.replyContent(ctx, kind, content, arg, source.maxItemsPerPage);
  }

  /** Sends already built content; the page buttons rebuild it through the registered source. */
  async replyContent(ctx: BotContext, kind: string, content: PagedContent, arg = '', maxItemsPerPage?: number): Promise<void> {
    const pages = paginate(content, TEXT_LIMIT, maxItemsPerPage ?? this.sources.get(kind)?.maxItemsPerPage);
    await ctx.reply(pages[0], { parse_mode: 'HTML', reply_markup: pageKeyboard(kind, 0, pages.length, arg) });
  }
}

export function pageKeyboard(kind: string, index: number, total: number, arg: string): InlineKeyboard | undefined {
  if (total <= 1) return undefined;
  const data = (page: number) => `pg:${kind}:${page}${arg ? `:${arg}` : ''}`;
  const keyboard = new InlineKeyboard();
  if (index > 0) keyboard.text('◀', data(index - 1));
  keyboard.text(`${index + 1} / ${total}`, data(index));
  if (index < total - 1) keyboard.text('▶', data(index + 1));
  return keyboard;
}
