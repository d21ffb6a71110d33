/** /setup edit | markets | clone over the bot: a diff with the new version, applied only after Confirm. */
import { afterEach, describe, expect, it } from 'vitest';
import { plain, startIta, type ItaHarness } from './harness.ts';

let h: ItaHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('/setup from the chat', () => {
  it('drafts an edit, shows the diff and the new version, applies it on Confirm only', async () => {
    h = await startIta();
    const question = await h.say('/setup ob-retest edit stop { type: atr, mult: 2 }');
    expect(h.fakes.calls).toContain('draft ob-retest {"kind":"set","path":"stop","value":"{ type: atr, mult: 2 }"}');
    expect(plain(question)).toContain('Изменить сетап ob-retest? Это будет версия f00dfeed');
    expect(plain(question)).toContain('+ stop: { type: atr, mult: 2 }');
    expect(h.fakes.calls.some((c) => c.startsWith('apply'))).toBe(false);
    h.emulator.userPressButton(question.message_id, 'su:dok');
    const done = await h.emulator.waitFor(() => h!.botMessages().find((m) => m.message_id === question.message_id && m.edit_date));
    expect(plain(done)).toBe('Готово: ob-retest теперь версии f00dfeed (сохранено в его YAML-файл).');
    expect(h.fakes.calls).toContain('apply ob-retest f00dfeed42');
  });

  it('markets and clone are drafts too; a refused edit says why and nothing is asked', async () => {
    h = await startIta();
    await h.say('/setup ob-retest markets BTC/USDT, ETH/USDT');
    expect(h.fakes.calls).toContain('draft ob-retest {"kind":"set","path":"markets","value":"[BTC/USDT, ETH/USDT]"}');
    const clone = await h.say('/setup ob-retest clone ob_eth');
    expect(plain(clone)).toContain('Создать сетап ob_eth копией ob-retest');
    h.emulator.userPressButton(clone.message_id, 'su:no');
    await h.emulator.waitFor(() => h!.botMessages().find((m) => m.message_id === clone.message_id && m.edit_date));
    expect(h.fakes.calls.some((c) => c.startsWith('apply'))).toBe(false);
    expect(plain(await h.say('/setup ob-retest edit id x'))).toBe('Не изменено: «id» из чата не меняется; можно: markets, stop (и их поля, например stop.mult, targets.0.r)');
  });
});
