/**
 * The executor: approved signal → risk governor → broker → position management → journal. Wiring only; the parts:
 * core.ts (state, persistence, events, syncing with the broker), approve.ts, manage.ts (per candle), controls.ts
 * (pause / resume / live switch), queries.ts (positions, PnL, risk, reports).
 */
import { InputError } from '../../errors.ts';
import { approveSignal } from './approve.ts';
import { onSignal } from './decide.ts';
import { confirmLive, controlToken, pause, requestLive, resume } from './controls.ts';
import { ExecutorCore, toOpenPosition } from './core.ts';
import { handleCandle } from './manage.ts';
import { buildQueries } from './queries.ts';
import { onPositionOpened } from '../../risk/index.ts';
import { getManagedPosition, saveManagedPosition } from './store.ts';
import type { Executor, ExecutorOptions } from './types.ts';

export type { ExecutorFlags } from './core.ts';

export async function createExecutor(options: ExecutorOptions): Promise<Executor> {
  const core = await ExecutorCore.load(options);
  const queries = buildQueries({
    db: core.db, governance: core.g, clock: options.clock, openViews: () => core.countBrokerBooks(), portfolio: () => core.portfolio, flags: () => core.flags,
  });

  const openRow = async (positionId: string, statuses: string[]) => {
    const row = await getManagedPosition(core.db, positionId);
    if (!row || !statuses.includes(row.status)) throw new InputError(`no open position "${positionId}"`, { field: 'positionId', value: positionId });
    return row;
  };

  const close = (positionId: string, by: string) =>
    core.serial(async () => {
      const stray = (await core.openViews()).find((v) => v.unmanaged && v.row.id === positionId);
      if (stray) {
        // Not ITA's trade, but the trader may still exit it from the chat.
        const bp = await core.brokerFor(stray.row.account).closePosition(positionId, `closed by ${by}`);
        await core.countBrokerBooks();
        return `${bp.symbol} ${bp.side} closed: ${signed(bp.realizedPnl)}`;
      }
      const row = await openRow(positionId, ['open', 'pending']);
      const bp = await core.brokerFor(row.account).closePosition(positionId, `closed by ${by}`);
      const after = await core.syncPosition(row, bp, core.stats.lastPrice(row.symbol) ?? row.entry_price);
      return after.status === 'closed'
        ? `${row.symbol} ${row.side} closed: ${signed(after.pnl ?? 0)} (${signed(after.r_multiple ?? 0)}R)`
        : `${row.symbol} ${row.side}: entry cancelled, nothing was filled`;
    });

  const executor: Executor = {
    approve: (signal, by, context) => core.serial(() => approveSignal(core, signal, by, context)),
    onSignal: (signal) => core.serial(() => onSignal(core, signal)),
    observe: (market, candle) => core.stats.observe(market, candle),
    onCandle: (market, candle) => core.serial(() => handleCandle(core, market, candle)),
    positions: () => core.serial(() => queries.positions()),
    close,
    closeAll: async (by) => {
      const out: string[] = [];
      for (const v of await core.openViews()) out.push(await close(v.row.id, by));
      return out;
    },
    moveStopToBreakEven: (positionId) =>
      core.serial(async () => {
        const row = await openRow(positionId, ['open']);
        const bp = await core.brokerFor(row.account).moveStop(positionId, row.entry_price);
        await saveManagedPosition(core.db, { ...row, stop: bp.stop });
        await core.setPortfolio(onPositionOpened(core.portfolio, toOpenPosition({ ...row, stop: bp.stop }, bp, core.stats.lastPrice(row.symbol) ?? row.entry_price)));
        return `${row.symbol} stop moved to break-even ${bp.stop}`;
      }),
    pnl: (period) => core.serial(() => queries.pnl(period)),
    risk: () => core.serial(() => queries.risk()),
    pause: (by) => core.serial(() => pause(core, by)),
    resume: (by, expectedToken) => core.serial(() => resume(core, by, expectedToken)),
    controlToken: () => controlToken(core),
    mode: () => core.flags.mode,
    requestLive: () => core.serial(() => requestLive(core)),
    confirmLive: (code) => core.serial(() => confirmLive(core, code)),
    report: (period) => core.serial(() => queries.report(period)),
    journalCsv: () => core.serial(() => queries.journalCsv()),
    on: (listener) => {
      core.listeners.add(listener);
      return () => core.listeners.delete(listener);
    },
    startupOutage: (message) => core.serial(() => core.startupOutage(message)),
    reconnect: () => core.serial(() => core.reconnect()),
    equity: () => core.portfolio.equity,
  };
  return executor;
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
}
