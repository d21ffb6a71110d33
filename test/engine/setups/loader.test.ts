import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSetupFile, loadSetupsDir, parseSetup } from '../../../src/engine/setups/index.ts';
import { InputError } from '../../../src/engine/errors.ts';
import { ROOT } from '../../helpers/candles.ts';

const FIXTURES = path.join(ROOT, 'test/fixtures/setups');
const VALID = path.join(FIXTURES, 'valid/sma_cross_test.yaml');

/** For every broken file: the line and field the error must name, and words the message must contain. */
const EXPECTED: Record<string, { line?: number; field?: string; words: RegExp }> = {
  bad_yaml_syntax: { line: 6, words: /not valid YAML/ },
  unknown_timeframe: { line: 5, field: 'timeframe', words: /1m.*1d/s },
  missing_stop: { line: 1, field: 'stop', words: /expected object/ },
  unknown_field: { line: 6, field: 'colour', words: /unknown field "colour"/ },
  unknown_condition: { line: 14, field: 'rules.long.crosses_over', words: /unknown condition "crosses_over"; use one of: all, any/ },
  unknown_series: { line: 15, field: 'rules.short.crosses_below[1]', words: /unknown series "sma_slowest"/ },
  unknown_param: { line: 11, field: 'indicators.sma_slow', words: /\$param/ },
  bad_indicator_spec: { line: 12, field: 'indicators.atr', words: /atr:fourteen/ },
  no_rules: { line: 1, field: 'rules', words: /expected object/ },
  empty_targets: { line: 17, field: 'targets', words: /at least|>=1|too small/i },
  targets_over_one: { line: 18, field: 'targets', words: /add up to 1\.2/ },
  bad_id: { line: 1, field: 'id', words: /lower_snake_case/ },
  id_mismatch: { line: 1, field: 'id', words: /must match the file name "id_mismatch"/ },
  param_range: { line: 8, field: 'params.slow', words: /min 200 is above max 100/ },
  stop_without_atr: { line: 15, field: 'stop.atr', words: /not declared under indicators/ },
  bad_session: { line: 15, field: 'rules.short.all[1].session[0]', words: /london/ },
  bad_structure_side: { line: 15, field: 'rules.short.all[1].structure', words: /bull.*bear.*side.*opposite/s },
  bad_min_pct: { line: 16, field: 'stop.min_pct', words: /0|positive|too small/i },
  htf_without_context: { line: 15, field: 'rules.short.gt[1]', words: /context/ },
  negative_within: { line: 15, field: 'rules.short.within', words: />=0|too small|at least/i },
  not_a_mapping: { line: 1, words: /must be a YAML mapping/ },
  empty_file: { line: 1, words: /must be a YAML mapping/ },
  multi_output_ambiguous: { line: 16, field: 'rules.short.lt[1]', words: /bb\.upper/ },
};

describe('setup loader', () => {
  it('loads a valid setup with defaults and a content version', () => {
    const setup = loadSetupFile(VALID);
    expect(setup.id).toBe('sma_cross_test');
    expect(setup.version).toMatch(/^[0-9a-f]{12}$/);
    expect(setup.validity.bars).toBe(3);
    expect(setup.entry).toEqual({ type: 'market' });
    expect(setup.targets).toEqual([{ r: 2, close: 1 }]);
  });

  it('version ignores comments and formatting but changes with any rule or parameter', () => {
    const text = readFileSync(VALID, 'utf8');
    const base = parseSetup(text, VALID).version;
    const reformatted = parseSetup('# a new comment\n' + text.replace('stop: { type: atr, mult: 2 }', 'stop:\n  type: atr\n  mult: 2'), VALID);
    expect(reformatted.version).toBe(base);
    expect(parseSetup(text.replace('mult: 2', 'mult: 2.5'), VALID).version).not.toBe(base);
    expect(parseSetup(text.replace('value: 10,', 'value: 12,'), VALID).version).not.toBe(base);
  });

  it(`refuses each of the ${Object.keys(EXPECTED).length} broken files with file, line and field`, () => {
    const dir = path.join(FIXTURES, 'invalid');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(15);
    expect(new Set(files.map((f) => f.replace('.yaml', '')))).toEqual(new Set(Object.keys(EXPECTED)));
    for (const file of files) {
      const name = file.replace('.yaml', '');
      const expected = EXPECTED[name];
      let error: unknown;
      try {
        loadSetupFile(path.join(dir, file));
      } catch (e) {
        error = e;
      }
      expect(error, name).toBeInstanceOf(InputError);
      const details = (error as InputError).details;
      expect(details.file, name).toBe(path.join(dir, file));
      if (expected.line !== undefined) expect(details.line, `${name}: line`).toBe(expected.line);
      if (expected.field !== undefined) expect(details.field, `${name}: field`).toBe(expected.field);
      expect((error as Error).message, name).toMatch(expected.words);
    }
  });

  it('a directory with broken files still loads the good ones and lists the bad ones', () => {
    const loaded = loadSetupsDir(path.join(FIXTURES, 'valid'));
    expect(loaded.setups.map((s) => s.id)).toEqual(['sma_cross_test']);
    const broken = loadSetupsDir(path.join(FIXTURES, 'invalid'));
    expect(broken.setups).toHaveLength(0);
    expect(broken.errors).toHaveLength(Object.keys(EXPECTED).length);
    expect(broken.errors.every((e) => e.file.endsWith('.yaml') && e.message.length > 0)).toBe(true);
  });
});
