/**
 * One builder of backtest settings for /backtest (as main.ts wires it) and the lab (as the bot and `ita lab` wire it):
 * a fee, starting equity and minimum score changed in the configuration show up in both services' terms, and the
 * lab's terms are word for word the line /backtest prints. Copied settings (the lab on DEFAULT_SIMULATION, or on
 * a fee read elsewhere) fail here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSampleCandles, ROOT } from '../helpers/candles.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type OpenedDatabase } from '../../src/engine/store/database.ts';
import { upsertCandles } from '../../src/engine/store/candles.ts';
import { backtestMigrations } from '../../src/engine/backtest/service/index.ts';
import { describeTerms } from '../../src/engine/backtest/service/terms.ts';
import { loadGovernance } from '../../src/engine/risk/index.ts';
import { labMigrations } from '../../src/engine/lab/store.ts';
import { createBacktestServiceFromConfig } from '../../src/app/backtest-settings.ts';
import { createLabServicesFromConfig } from '../../src/app/lab-service.ts';
import { termsText } from '../../src/bot/lab/lab.ts';
import { translator } from '../../src/bot/i18n/index.ts';
import { storeArea } from '../helpers/store-area.ts';

describe('the lab and /backtest share their settings', () => {
  let store: OpenedDatabase | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a fee, equity and min score from the configuration reach both, in the same words', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ita-shared-settings-'));
    const config = loadConfig({
      cwd: dir,
      env: { ITA_PAPER_FEE_PCT: '0.37', ITA_PAPER_EQUITY: '25000', ITA_MIN_SCORE: '0', ITA_SETUPS_DIR: path.join(ROOT, 'setups'), ITA_DATA_DIR: dir },
    });
    const governance = loadGovernance();
    store = await openDatabase(':memory:', { extraMigrations: { backtest_migration: backtestMigrations, lab_migration: labMigrations } });
    await upsertCandles(store, { exchange: 'nasdaq', symbol: 'GOOG', timeframe: '1d' }, loadSampleCandles('nasdaq_GOOG_1d'));

    // governance.yaml: base risk 0.8 %; exchange defaults: spot ×1; signals.maxCostR default 0.25 R.
    const expected = 'Simulated as: spot ×1, equity 25,000, fees 0.37 % per fill, slippage 0 bps, risk 0.8 % per trade, min score 0, max cost 0.25 R, risk governor on';
    const backtest = await createBacktestServiceFromConfig({ db: store.db, config, governance });
    const result = await backtest.run({ setupId: 'sma_cross', symbol: 'GOOG', timeframe: '1d' }, () => {}, new AbortController().signal);
    expect(result.summary).toContain(expected);

    const { lab } = createLabServicesFromConfig({ db: storeArea(store.db), llm: null, config, governance });
    expect(describeTerms(lab.terms())).toBe(expected);
    // What the trader reads under /lab, in both languages.
    expect(termsText(translator('en'), lab.terms())).toContain('equity 25,000, fees 0.37 % per fill, slippage 0 bps, risk 0.8 % per trade, min score 0, max cost 0.25 R, risk governor on');
    expect(termsText(translator('ru'), lab.terms())).toContain('капитал 25,000, комиссия 0.37 % за исполнение');
  }, 60_000);
});
