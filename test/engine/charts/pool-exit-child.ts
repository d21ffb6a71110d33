/**
 * Run as its own process by pool.test.ts: only the pool is imported (canvas is not loaded on this thread by
 * anything else), one chart renders on a thread, the pool closes and the process exits by itself.
 */
import { ChartRenderPool } from '../../../src/engine/charts/pool.ts';
import { loadSampleCandles } from '../../helpers/candles.ts';

const candles = loadSampleCandles('binance_BTCUSDT_1h_2024-07').slice(0, 150);
const pool = new ChartRenderPool({ size: 1 });
const chart = await pool.renderSignalChart({ title: { symbol: 'BTC/USDT', timeframe: '1h', setup: 'exit test' }, candles });
await pool.close();
process.stdout.write(`rendered ${chart.png.length > 0} closed\n`);
