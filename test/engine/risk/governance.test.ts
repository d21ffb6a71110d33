import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/engine/errors.ts';
import { DEFAULT_GOVERNANCE_FILE, loadGovernance, parseGovernance } from '../../../src/engine/risk/governance.ts';

const SHIPPED = readFileSync(DEFAULT_GOVERNANCE_FILE, 'utf8');

/** Replaces one line of the shipped file and returns the edited text plus that line's 1-based number. */
function edit(from: string, to: string): { text: string; line: number } {
  const lines = SHIPPED.split('\n');
  const index = lines.findIndex((l) => l === from);
  if (index < 0) throw new Error(`line not found: ${from}`);
  lines[index] = to;
  return { text: lines.join('\n'), line: index + 1 };
}

function refusal(text: string): ConfigError {
  try {
    parseGovernance(text, 'governance.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('governance.yaml', () => {
  it('ships the limits of the issue', () => {
    const g = loadGovernance();
    expect(g.timezone).toBe('UTC');
    expect(g.risk).toEqual({
      basePct: 0.8,
      maxPct: 1.1,
      bonusPct: 0.3,
      bonusActivateAtDayPnlPct: 0.5,
      reduceByPct: 0.2,
      reduceAfterConsecutiveLosses: 3,
      restoreAfterConsecutiveWins: 5,
      atrPercentile: 90,
    });
    expect(g.dailyLossPct).toBe(1.8);
    expect(g.killSwitch).toEqual({ drawdownPct: 3.5, windowMs: 72 * 3_600_000 });
    expect(g.leverageCap).toBe(3);
    expect(g.maxOpenRiskPct).toBe(1.5);
    expect(g.pyramiding).toEqual({ minProfitR: 1, maxAddR: 0.3 });
    expect(g.cooldown).toEqual({ afterConsecutiveLosses: 2, bars: 3 });
    expect(g.correlation).toMatchObject({ threshold: 0.7, maxCorrelatedPositions: 2, windowDays: 90 });
  });

  it('is deeply frozen: nothing can change a limit at run time', () => {
    const g = loadGovernance();
    expect(() => {
      (g.risk as { basePct: number }).basePct = 5;
    }).toThrow(TypeError);
    expect(() => {
      (g.markets.allowlist as string[]).push('DOGE/USDT');
    }).toThrow(TypeError);
    expect(g.risk.basePct).toBe(0.8);
  });

  it.each([
    ['a string where a number belongs', '  base_pct: 0.8', '  base_pct: high', 'risk_per_trade.base_pct', /expected number, received string \(got "high"\)/],
    ['a misspelled key', '  max_pct: 1.8', '  max_pcnt: 1.8', 'daily_loss.max_pcnt', /unknown field "max_pcnt"/],
    ['no_martingale off', 'no_martingale: true', 'no_martingale: false', 'no_martingale', /averaging down is never allowed/],
    ['too many correlated positions', '  max_correlated_positions: 2', '  max_correlated_positions: 4', 'correlation.max_correlated_positions', /expected number to be <=3 \(got 4\)/],
    ['an unknown time zone', 'timezone: UTC', 'timezone: Mars/Olympus', 'timezone', /IANA time zone/],
    ['base above the cap', '  base_pct: 0.8', '  base_pct: 1.2', 'risk_per_trade.base_pct', /base 1\.2 % is above max_pct 1\.1 %/],
    ['leverage below 1', 'leverage_cap: 3', 'leverage_cap: 0.5', 'leverage_cap', /expected number to be >=1 \(got 0\.5\)/],
  ])('refuses %s naming file, line and field', (_what, from, to, field, words) => {
    const { text, line } = edit(from, to);
    const error = refusal(text);
    expect(error.details).toMatchObject({ file: 'governance.yaml', line, field });
    expect(error.message).toMatch(words);
    expect(error.message.startsWith(`governance.yaml:${line}: ${field}: `)).toBe(true);
  });

  it('refuses broken YAML and a file that is not a mapping', () => {
    const broken = edit('leverage_cap: 3', 'leverage_cap: [3');
    expect(refusal(broken.text).message).toMatch(/not valid YAML/);
    expect(refusal('- 1\n- 2\n').details.line).toBe(1);
  });

  it('refuses a missing file with its path', () => {
    expect(() => loadGovernance('/nonexistent/governance.yaml')).toThrow(/cannot read governance file \/nonexistent\/governance\.yaml/);
  });
});

describe('governance.yaml missing fields', () => {
  it('names a missing field and the line of its parent', () => {
    const { text } = edit('  drawdown_pct: 3.5', '  # drawdown_pct removed');
    const parentLine = SHIPPED.split('\n').indexOf('kill_switch:') + 1;
    const error = refusal(text);
    expect(error.details.field).toBe('kill_switch.drawdown_pct');
    expect(error.message).toMatch(/kill_switch\.drawdown_pct: missing; it is required/);
    expect(error.details.line).toBe(parentLine);
  });
});

describe('describeGovernance', () => {
  it('reads the shipped limits back in words', async () => {
    const { describeGovernance } = await import('../../../src/engine/risk/describe.ts');
    const text = describeGovernance(loadGovernance()).join('\n');
    expect(text).toMatch(/Risk per trade 0\.8 % of equity \(\+0\.3 % while the day is at least \+0\.5 %/);
    expect(text).toMatch(/never above 1\.1 %/);
    expect(text).toMatch(/Kill switch at −3\.5 % over 72 h/);
    expect(text).toMatch(/24h volume ≥ 50,000,000, spread ≤ 5 bps/);
  });
});
