/**
 * /setups and /setup: list, show, enable/disable, and change a parameter (a new version, confirmed first because it
 * changes what the bot will advise).
 */
import { InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.ts';
import { html, type FeatureDeps } from '../feature.ts';
import type { SetupSummary } from '../services.ts';
import { escapeHtml, truncate } from '../format/html.ts';
import { formatPercent, formatR } from '../format/numbers.ts';
import { splitArgs } from './args.ts';
import { InputError } from '../../engine/errors.ts';
import type { SetupChange, SetupDraft } from '../services.ts';
import { localizeEngineText } from '../i18n/index.ts';
import { edgeLines } from '../format/learning.ts';

/** "/setup ID edit PATH VALUE", "/setup ID clone NEWID", "/setup ID markets A,B" → a change to draft. */
function parseChange(words: string[], raw: string): SetupChange | undefined {
  const verb = words[1]?.toLowerCase();
  if (verb === 'clone' && words.length === 3) return { kind: 'clone', newId: words[2].toLowerCase() };
  if (verb === 'markets' && words.length >= 3) return { kind: 'set', path: 'markets', value: `[${words.slice(2).join(' ').split(/[,\s]+/).filter(Boolean).join(', ')}]` };
  if (verb === 'edit' && words.length >= 4) {
    // The value is everything after the path, as typed (YAML: 2, [a, b], { type: atr, mult: 2 }).
    const value = raw.trim().split(/\s+/).slice(3).join(' ');
    return { kind: 'set', path: words[2], value };
  }
  return undefined;
}

/** A confirmation older than this is refused: the setup may have changed meanwhile. */
const CONFIRM_TTL_MS = 10 * 60_000;
const ID = /^[A-Za-z0-9_.-]{1,48}$/;

export function installSetupCommands(deps: FeatureDeps): void {
  const { registry, services, handlers } = deps;

  const statsLine = (ctx: BotContext, setup: SetupSummary) =>
    setup.stats && setup.stats.trades > 0
      ? ctx.t('setups.stats', { trades: setup.stats.trades, winRate: formatPercent(setup.stats.winRate), expectancy: formatR(setup.stats.expectancyR) })
      : ctx.t('setups.noStats');

  const toggleKeyboard = (ctx: BotContext, setup: SetupSummary) =>
    new InlineKeyboard().text(setup.enabled ? ctx.t('setup.disable') : ctx.t('setup.enable'), `su:${setup.enabled ? 'off' : 'on'}:${setup.id}`);

  deps.pages.register('setups', {
    async load(ctx) {
      const setups = await services.setups.list();
      const items = setups.map((s) =>
        `${s.enabled ? '✅' : '⏸'} <b>${escapeHtml(s.id)}</b> ${escapeHtml(s.name)} · ${s.timeframe} · <code>${escapeHtml(s.version.slice(0, 8))}</code>\n   ${statsLine(ctx, s)}` +
        (s.edge ? `\n   ${edgeLines(s.edge, ctx.lang).join('\n   ')}` : ''));
      const legend = setups.some((s) => s.edge) ? `\n${ctx.t('learn.legend', { min: setups.find((s) => s.edge)!.edge!.minSample })}` : '';
      return { header: ctx.t('setups.title'), items, footer: ctx.t('setups.footer') + legend };
    },
  });

  registry.register({
    name: 'setups',
    description: { en: 'Your setups: enabled, version, statistics', ru: 'Ваши сетапы: статус, версия, статистика' },
    async handler(ctx) {
      if ((await services.setups.list()).length === 0) return ctx.reply(ctx.t('setups.empty'));
      await deps.pages.reply(ctx, 'setups');
    },
  });

  registry.register({
    name: 'setup',
    description: { en: 'Show a setup; /setup ID set PARAM VALUE', ru: 'Показать сетап; /setup ID set ПАРАМЕТР ЗНАЧЕНИЕ' },
    async handler(ctx, args) {
      const words = splitArgs(args);
      const change = words.length > 1 && words[1] !== 'set' ? parseChange(words, args) : undefined;
      if (change) return draftChange(ctx, words[0], change);
      if (words.length === 0 || (words.length > 1 && (words[1] !== 'set' || words.length !== 4))) return ctx.reply(ctx.t('setup.usage'));
      const setup = ID.test(words[0]) ? await services.setups.get(words[0]) : undefined;
      if (!setup) return ctx.reply(ctx.t('setup.unknown', { id: escapeHtml(words[0]) }), html);
      if (words.length === 1) {
        const params = Object.entries(setup.params).map(([name, p]) =>
          `• ${escapeHtml(name)} = <b>${p.value}</b>${p.min !== undefined || p.max !== undefined ? ` [${p.min ?? '…'}; ${p.max ?? '…'}]` : ''}`);
        const text = [
          `<b>${escapeHtml(setup.name)}</b> (${escapeHtml(setup.id)}) · ${setup.timeframe} · <code>${escapeHtml(setup.version.slice(0, 8))}</code>`,
          ctx.t(setup.enabled ? 'setup.enabled' : 'setup.disabled') + ' · ' + statsLine(ctx, setup),
          ...(setup.edge ? [...edgeLines(setup.edge, ctx.lang), `<i>${ctx.t('learn.legend', { min: setup.edge.minSample })}</i>`] : []),
          '',
          escapeHtml(truncate(setup.description, 1200)),
          setup.rationale ? `<i>${escapeHtml(truncate(setup.rationale, 800))}</i>` : '',
          ...(params.length ? ['', ctx.t('setup.params'), ...params] : []),
        ].filter((line, i, all) => line !== '' || all[i - 1] !== '');
        return ctx.reply(text.join('\n'), { ...html, reply_markup: toggleKeyboard(ctx, setup) });
      }
      const [, , name, raw] = words;
      const param = setup.params[name];
      if (!param) return ctx.reply(ctx.t('setup.unknownParam', { id: escapeHtml(setup.id), name: escapeHtml(name), list: escapeHtml(Object.keys(setup.params).join(', ') || '—') }), html);
      const value = Number(raw.replace(',', '.'));
      if (!Number.isFinite(value) || raw.trim() === '') return ctx.reply(ctx.t('setup.badValue', { value: escapeHtml(raw) }), html);
      if ((param.min !== undefined && value < param.min) || (param.max !== undefined && value > param.max)) {
        return ctx.reply(ctx.t('setup.outOfRange', { name: escapeHtml(name), min: param.min ?? '−∞', max: param.max ?? '∞', value }), html);
      }
      const offStep = stepRefusal(ctx, name, param, value);
      if (offStep) return ctx.reply(offStep, html);
      ctx.session.pendingParam = { setupId: setup.id, name, value, at: Date.now() };
      const keyboard = new InlineKeyboard().text(ctx.t('common.confirm'), 'su:ok').text(ctx.t('common.cancel'), 'su:no');
      await ctx.reply(ctx.t('setup.confirmParam', { id: escapeHtml(setup.id), name: escapeHtml(name), old: param.value, value }), { ...html, reply_markup: keyboard });
    },
  });

  const draftChange = async (ctx: BotContext, id: string, change: SetupChange) => {
    if (!ID.test(id) || !(await services.setups.get(id))) return ctx.reply(ctx.t('setup.unknown', { id: escapeHtml(id) }), html);
    let draft;
    try {
      draft = await services.setups.draft(id, change);
    } catch (error) {
      // A refused edit names the field and line (the setup's own validation), in the trader's words.
      if (!(error instanceof InputError)) throw error;
      return ctx.reply(ctx.t('setup.editRefused', { error: escapeHtml(localizeEngineText(error.message, ctx.lang)) }), html);
    }
    await askToApply(ctx, draft, change.kind === 'clone');
  };

  handlers.callbackQuery('su:dok', async (ctx) => {
    const pending = ctx.session.pendingDraft;
    ctx.session.pendingDraft = undefined;
    await ctx.answerCallbackQuery();
    if (!pending || Date.now() - pending.at > CONFIRM_TTL_MS) return ctx.editMessageText(ctx.t('setup.changeExpired'));
    let updated: SetupSummary;
    try {
      updated = await services.setups.apply(pending.draft);
    } catch (error) {
      // E.g. the setup changed after this draft was shown: applying it would undo that change.
      if (!(error instanceof InputError)) throw error;
      return ctx.editMessageText(ctx.t('setup.editRefused', { error: escapeHtml(localizeEngineText(error.message, ctx.lang)) }), html);
    }
    await ctx.editMessageText(ctx.t('setup.applied', { id: escapeHtml(updated.id), version: `<code>${escapeHtml(updated.version.slice(0, 8))}</code>` }), html);
  });

  handlers.callbackQuery(/^su:(on|off):([A-Za-z0-9_.-]{1,48})$/, async (ctx) => {
    const updated = await services.setups.setEnabled(ctx.match[2], ctx.match[1] === 'on');
    const state = ctx.t(updated.enabled ? 'setup.enabled' : 'setup.disabled');
    await ctx.answerCallbackQuery({ text: ctx.t('setup.toggled', { id: updated.id, state }) });
    await ctx.editMessageReplyMarkup({ reply_markup: toggleKeyboard(ctx, updated) });
  });

  handlers.callbackQuery(/^su:(ok|no)$/, async (ctx) => {
    const pending = ctx.session.pendingParam;
    ctx.session.pendingParam = undefined;
    await ctx.answerCallbackQuery();
    if (ctx.match[1] === 'no') {
      ctx.session.pendingDraft = undefined;
      return ctx.editMessageText(ctx.t('common.cancelled'));
    }
    if (!pending || Date.now() - pending.at > CONFIRM_TTL_MS) return ctx.editMessageText(ctx.t('setup.changeExpired'));
    let updated: SetupSummary;
    try {
      updated = await services.setups.setParam(pending.setupId, pending.name, pending.value);
    } catch (error) {
      // The setup's own schema has the last word (e.g. an EMA period must be whole); say what it refused and why.
      const setup = await services.setups.get(pending.setupId);
      const param = setup?.params[pending.name];
      return ctx.editMessageText(ctx.t('tx.setup.refused', {
        name: escapeHtml(`${pending.setupId}.${pending.name}`), value: pending.value,
        reason: escapeHtml(truncate(error instanceof Error ? error.message : String(error), 400)), allowed: param ? allowedValues(param) : '—',
      }), html);
    }
    await ctx.editMessageText(ctx.t('setup.paramChanged', {
      id: escapeHtml(updated.id), name: escapeHtml(pending.name), value: pending.value, version: `<code>${escapeHtml(updated.version.slice(0, 8))}</code>`,
    }), html);
  });
}

/** Shows a drafted change with its diff and new version; Confirm (su:dok) applies it, Cancel (su:no) drops it. */
export async function askToApply(ctx: BotContext, draft: SetupDraft, clone = false): Promise<void> {
  ctx.session.pendingDraft = { draft, at: Date.now() };
  const keyboard = new InlineKeyboard().text(ctx.t('common.confirm'), 'su:dok').text(ctx.t('common.cancel'), 'su:no');
  const version = `<code>${escapeHtml(draft.version.slice(0, 8))}</code>`;
  const title = clone
    ? ctx.t('setup.confirmClone', { id: escapeHtml(draft.basedOn), newId: escapeHtml(draft.id), version })
    : ctx.t('setup.confirmEdit', { id: escapeHtml(draft.basedOn), version });
  const diff = draft.diff.length ? `<pre>${escapeHtml(draft.diff.join('\n'))}</pre>` : ctx.t('setup.noDiff');
  await ctx.reply(`${title}\n${diff}`, { ...html, reply_markup: keyboard });
}

type Param = { value: number; min?: number; max?: number; step?: number };

/** "5, 6, … 20" or "from 0.1 to 3" — what the trader may type for this parameter. */
export function allowedValues(param: Param): string {
  const { min, max, step } = param;
  if (step !== undefined && min !== undefined && max !== undefined) {
    const count = Math.floor((max - min) / step + 1e-9) + 1;
    const at = (i: number) => Number((min + i * step).toFixed(10));
    if (count <= 6) return Array.from({ length: count }, (_, i) => at(i)).join(', ');
    return `${at(0)}, ${at(1)}, … ${at(count - 1)}`;
  }
  return `${min ?? '−∞'} … ${max ?? '∞'}`;
}

function stepRefusal(ctx: BotContext, name: string, param: Param, value: number): string | undefined {
  if (param.step === undefined || param.step <= 0) return undefined;
  const base = param.min ?? 0;
  const steps = (value - base) / param.step;
  if (Math.abs(steps - Math.round(steps)) < 1e-9) return undefined;
  return ctx.t('tx.setup.badStep', { name: escapeHtml(name), step: param.step, min: param.min ?? '−∞', max: param.max ?? '∞', value, allowed: allowedValues(param) });
}
