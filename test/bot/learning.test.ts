/**
 * The journal's learning in the chat, on the real bot over the Bot API emulator and a real journal (an offline
 * replay with decisions, test/engine/learning/journal/replay-rig.ts):
 *   /setups and the setup card show approved vs rejected vs not-pushed expectancy with their counts;
 *   labels arrive as a screenshot caption or a CSV file (bad lines named), and /labels reports precision and
 *   recall with every miss and false alarm, the charts as albums.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSetupRegistry, type SetupRegistry } from '../../src/engine/journal/setup-registry.ts';
import { createSetupsService } from '../../src/engine/services/setups.ts';
import { decisionEdge } from '../../src/engine/learning/journal/decision-edge.ts';
import { LabelService } from '../../src/engine/learning/labels/service.ts';
import { checkLabels } from '../../src/engine/learning/labels/check.ts';
import { installLabelsFeature } from '../../src/bot/learning/labels.ts';
import { timeframeMs } from '../../src/engine/market/timeframes.ts';
import { solidPng } from '../../src/bot/emulator/png.ts';
import { replayWithDecisions, type ReplayedJournal } from '../engine/learning/journal/replay-rig.ts';
import { createFakeServices } from './fake-services.ts';
import { plain, startIta, type ItaHarness } from './harness.ts';
import { storeArea } from '../helpers/store-area.ts';

/** A small threshold: a two-month replay has a handful of signals per setup. */
const MIN = 3;
let j: ReplayedJournal;
let registry: SetupRegistry;
let h: ItaHarness | undefined;

beforeAll(async () => {
  j = await replayWithDecisions();
  await j.tracker(j.candles.at(-1)!.ts + 3_600_000).update();
  registry = await createSetupRegistry({ db: j.store.db, setups: j.setups });
}, 120_000);
afterAll(async () => j.cleanup());
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function bot(): Promise<ItaHarness> {
  const fakes = createFakeServices();
  fakes.services.setups = createSetupsService({ registry, edge: (id, version) => decisionEdge(storeArea(j.store.db), id, version, { minSample: MIN }) });
  const harness = await startIta({ fakes });
  installLabelsFeature(harness.ita, {
    labels: new LabelService(storeArea(j.store.db), j.dir),
    check: (labels) => checkLabels({ db: j.store.db, labels, setupFor: (id) => registry.get(id)?.setup, chartsDir: path.join(j.dir, 'checks') }),
  });
  return harness;
}

describe('learning in the chat', () => {
  it('/status names each market\'s regime and how long it has held', async () => {
    const fakes = createFakeServices();
    const status = fakes.services.status;
    fakes.services.status = async () => {
      const report = await status();
      return { ...report, feeds: report.feeds.map((f) => ({ ...f, regime: { regime: 'trend_up' as const, raw: 'trend_up' as const, barsInRegime: 14 } })) };
    };
    h = await startIta({ fakes });
    const text = plain(await h.say('/status'));
    const feed = text.split('\n').find((l) => l.includes('BTC/USDT'));
    expect(feed).toMatch(/ — режим восходящий тренд \(trend_up\) 14 св\.$/);
  });

  it('/setups shows, per setup version, net R per signal of approved, rejected and not-pushed signals with their counts', async () => {
    h = await bot();
    const reply = plain(await h.say('/setups'));
    const open = new Set(((await j.store.db.selectFrom('learning_outcomes' as never).selectAll().execute()) as unknown as { signal_id: string; status: string }[])
      .filter((r) => r.status === 'open').map((r) => r.signal_id));
    for (const setup of j.setups) {
      const own = j.signals.filter((s) => s.setupId === setup.id);
      if (own.length === 0) continue;
      // Decided outcomes per group; an outcome the last candles have not decided yet is not counted.
      const count = (set: (id: string) => boolean) => own.filter((s) => set(s.id) && !open.has(s.id)).length;
      const block = reply.slice(reply.indexOf(setup.id));
      const line = block.split('\n').find((l) => l.includes('Чистый R на сигнал'))!;
      expect(line).toBeDefined();
      const groups = /принятые (\S+) \((\d+)\).*отклонённые (\S+) \((\d+)\).*не отправленные (\S+) \((\d+)\)/.exec(line)!;
      expect(Number(groups[2])).toBe(count((id) => j.approved.has(id)));
      expect(Number(groups[4])).toBe(count((id) => j.rejected.has(id)));
      expect(Number(groups[6])).toBe(count((id) => !j.pushed.has(id)));
    }
    expect(reply).toContain('контрфактические');
  });

  it('the setup card shows the same split and a recommendation with its numbers once the sample is large enough', async () => {
    h = await bot();
    const busiest = j.setups.map((s) => ({ s, n: j.signals.filter((x) => x.setupId === s.id && j.rejected.has(x.id)).length })).sort((a, b) => b.n - a.n)[0];
    expect(busiest.n).toBeGreaterThanOrEqual(MIN);
    const card = plain(await h.say(`/setup ${busiest.s.id}`));
    expect(card).toMatch(/Чистый R на сигнал: ✅ принятые .* · ❌ отклонённые .* \(\d+\) · 🔕 не отправленные .* \(\d+\)/);
    // Rejected signals' expectancy, recomputed from the outcome rows: a recommendation about rejections quotes it.
    const rows = await j.store.db.selectFrom('learning_outcomes' as never).selectAll().where('setup_id' as never, '=', busiest.s.id as never).execute() as unknown as { signal_id: string; status: string; net_r: number | null }[];
    const rej = rows.filter((r) => j.rejected.has(r.signal_id) && r.status !== 'open');
    const mean = rej.reduce((s, r) => s + (r.net_r ?? 0), 0) / rej.length;
    const r = Math.abs(mean).toFixed(2);
    if (mean < 0) expect(card).toContain(`ваши отказы по ${busiest.s.id} сэкономили ${r}R на сигнал (${rej.length} отклонено)`);
    else expect(card).toContain(`ваши отказы по ${busiest.s.id} стоили ${r}R на сигнал (${rej.length} отклонено)`);
  });

  it('labels from a screenshot caption and a CSV (a bad line named); /labels gives precision, recall, misses and false alarms with charts', async () => {
    h = await bot();
    const setup = j.setups.find((s) => s.id === 'ema_cross')!;
    const tf = timeframeMs(setup.timeframe);
    const own = j.signals.filter((s) => s.setupId === setup.id).sort((a, b) => a.ts - b.ts).slice(-8);
    expect(own.length).toBe(8);
    const when = (ts: number) => new Date(ts).toISOString().slice(0, 16).replace('T', ' ');
    // 5 correct labels, 2 on the wrong side (misses that cannot match their signal), 1 where nothing fired.
    const quiet = own[0].ts + Math.round((own[1].ts - own[0].ts) / 2 / tf) * tf;
    expect(j.signals.some((s) => s.setupId === setup.id && Math.abs(s.ts - quiet) <= 2 * tf)).toBe(false);
    const lines = [
      ...own.slice(0, 5).map((s) => `${setup.id},BTC/USDT,1h,${when(s.ts)},${s.side}`),
      ...own.slice(5, 7).map((s) => `${setup.id},BTC/USDT,1h,${when(s.ts)},${s.side === 'long' ? 'short' : 'long'}`),
      'ema_cross,BTC/USDT,1h,2024-13-40 25:00,long',
    ];
    const csv = h.emulator.userUploadDocument('labels.csv', Buffer.from(['setup,symbol,timeframe,time,side', ...lines].join('\n')), 'text/csv');
    const saved = plain(await h.nextBotMessage(csv.message_id));
    expect(saved).toContain('Сохранено меток: 7');
    // Every word of the reply in the trader's language, the error naming its line, field and value.
    expect(saved).toContain('строка 9: время «2024-13-40 25:00» — не время UTC вида 2024-07-12 14:30');

    const png = solidPng(4, 4, [200, 0, 0]);
    const photo = h.emulator.userUploadPhoto(png, `label ${setup.id} BTC/USDT 1h ${when(quiet)} long`);
    expect(plain(await h.nextBotMessage(photo.message_id))).toBe(`Метка сохранена: ${setup.id} BTC/USDT 1h ${when(quiet)} UTC, лонг`);
    expect(readdirSync(path.join(j.dir, 'labels', 'screenshots')).length).toBe(1);
    const bad = h.emulator.userUploadPhoto(png, 'label ema_cross BTC/USDT 7m 2024-07-12 14:30 long');
    expect(plain(await h.nextBotMessage(bad.message_id))).toBe('Метка не сохранена: таймфрейм «7m» не из списка 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 1w');

    const sent = h.emulator.userSendText(h.ownerId, '/labels');
    await h.nextBotMessage(sent.message_id);
    const report = await h.emulator.waitFor(() => h!.botMessages().find((m) => m.message_id > sent.message_id && plain(m).includes('точность')), 60_000, 'the label report');
    const text = plain(report);
    // Judged: the journal's signals of the setup inside the labelled span (± 2 candles).
    const first = Math.min(own[0].ts, quiet) - 2 * tf;
    const last = own[6].ts + 2 * tf;
    const judged = j.signals.filter((s) => s.setupId === setup.id && s.ts >= first && s.ts <= last).length;
    expect(text).toContain(`точность ${((5 / judged) * 100).toFixed(0)}% (5 из ${judged} сигналов), полнота 63% (5 из 8 меток)`);
    expect(text.match(/❌ пропуск/g)).toHaveLength(3);
    expect(text.match(/⚠️ ложная тревога/g)).toHaveLength(judged - 5);
    await h.emulator.waitFor(() => h!.emulator.calls.some((c) => c.method === 'sendMediaGroup'), 60_000, 'the album');
    const charts = readdirSync(path.join(j.dir, 'checks'), { recursive: true }).filter((f) => String(f).endsWith('.png'));
    expect(charts.length).toBe(3 + judged - 5);
    expect(existsSync(path.join(j.dir, 'checks'))).toBe(true);
  }, 120_000);
});

