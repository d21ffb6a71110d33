import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/candles.ts';

function ita(args: string[]): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [path.join(ROOT, 'bin/ita.js'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('ita command line', () => {
  it('lists its commands in --help', () => {
    const { code, stdout } = ita(['--help']);
    expect(code).toBe(0);
    for (const command of ['start', 'import', 'candles', 'indicators', 'bench']) expect(stdout).toContain(command);
  });

  it('every command answers --help', () => {
    const { stdout } = ita(['--help']);
    const commands = [...stdout.matchAll(/^ {2}([a-z-]+)(?: \[options\]| <[^>]+>)*/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect(commands.length).toBeGreaterThan(3);
    for (const command of commands) {
      const result = ita([command, '--help']);
      expect(result.code, command).toBe(0);
      expect(result.stdout, command).toMatch(/^Usage: ita /);
    }
  });

  it('an unknown command fails with a hint', () => {
    const { code, stderr } = ita(['frobnicate']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/unknown command/);
  });
});
