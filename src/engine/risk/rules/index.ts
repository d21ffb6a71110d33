/**
 * The rules in the order they run. Each is independent: it reads the context and refuses or caps the units; the
 * governor takes the smallest cap. The order only decides which refusal is reported when several apply — the
 * account-wide stops first, then the market, the setup, the position, and finally the sizing limits.
 */
import type { Rule } from '../types.ts';
import { intentValidRule } from './intent-valid.ts';
import { killSwitchRule } from './kill-switch.ts';
import { dailyLossRule } from './daily-loss.ts';
import { marketAllowlistRule } from './market-allowlist.ts';
import { cooldownRule } from './cooldown.ts';
import { noMartingaleRule } from './no-martingale.ts';
import { pyramidingRule } from './pyramiding.ts';
import { correlationRule } from './correlation.ts';
import { riskPerTradeRule } from './risk-per-trade.ts';
import { leverageCapRule } from './leverage-cap.ts';
import { openRiskRule } from './open-risk.ts';

export const RULES: readonly Rule[] = Object.freeze([
  intentValidRule,
  killSwitchRule,
  dailyLossRule,
  marketAllowlistRule,
  cooldownRule,
  noMartingaleRule,
  pyramidingRule,
  correlationRule,
  riskPerTradeRule,
  leverageCapRule,
  openRiskRule,
]);
