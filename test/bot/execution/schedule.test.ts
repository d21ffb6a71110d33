/**
 * Report schedules: the cron expressions (node-cron v4, six fields: sec min hour day month weekday) and that they
 * fire in the trader's time zone. Nothing waits for real time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/engine/errors.ts';
import { reportCronExpressions, scheduleReports, type PeriodicReport, type ReportSchedule } from '../../../src/bot/execution/index.ts';
import { createFakeExecutor } from './fake-executor.ts';

let schedule: ReportSchedule | undefined;
afterEach(() => {
  schedule?.();
  schedule = undefined;
});

describe('report schedule', () => {
  it('defaults: daily 21:00, weekly Sunday 21:00, monthly on the 1st at 09:00', () => {
    expect(reportCronExpressions()).toEqual({ day: '0 0 21 * * *', week: '0 0 21 * * 0', month: '0 0 9 1 * *' });
  });

  it('reads HH:MM, weekday names or numbers, and "off"', () => {
    expect(reportCronExpressions({ daily: '7:05', weekly: 'Friday 18:30', monthly: '15 00:00' })).toEqual({
      day: '0 5 7 * * *', week: '0 30 18 * * 5', month: '0 0 0 15 * *',
    });
    expect(reportCronExpressions({ weekly: '7 21:00', daily: 'off', monthly: 'off' })).toEqual({ week: '0 0 21 * * 0' });
  });

  it('rejects bad times naming the field and the value', () => {
    expect(() => reportCronExpressions({ daily: '25:00' })).toThrow(InputError);
    expect(() => reportCronExpressions({ daily: '25:00' })).toThrow('reports.daily: "25:00"');
    expect(() => reportCronExpressions({ weekly: 'someday 21:00' })).toThrow('reports.weekly: "someday"');
    expect(() => reportCronExpressions({ monthly: '31 09:00' })).toThrow('day 1–28');
    expect(() => scheduleReports({ executor: createFakeExecutor(), send: async () => undefined, timezone: 'Mars/Olympus' })).toThrow('Mars/Olympus');
  });

  it('fires in the trader’s time zone: 21:00 in Moscow (UTC+3, no DST) is 18:00 UTC', () => {
    schedule = scheduleReports({ executor: createFakeExecutor(), send: async () => undefined, timezone: 'Europe/Moscow' });
    const next = schedule.nextRuns();
    const now = Date.now();
    expect(next.day!.getUTCHours()).toBe(18);
    expect(next.day!.getUTCMinutes()).toBe(0);
    expect(next.day!.getTime() - now).toBeLessThanOrEqual(24 * 3600_000);
    expect(next.week!.getUTCDay()).toBe(0);
    expect(next.week!.getUTCHours()).toBe(18);
    // 1st 09:00 Moscow = 1st 06:00 UTC.
    expect(next.month!.getUTCDate()).toBe(1);
    expect(next.month!.getUTCHours()).toBe(6);
  });

  it('a run builds the period’s report and sends it; a failing send is logged, not thrown', async () => {
    const sent: PeriodicReport[] = [];
    const executor = createFakeExecutor();
    schedule = scheduleReports({ executor, send: async (r) => void sent.push(r), timezone: 'UTC', times: { daily: 'off', monthly: 'off' } });
    expect(Object.keys(schedule.nextRuns())).toEqual(['week']);
    await schedule.runNow('week');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ period: 'week', text: 'Report week: 3 trades, +12.30 (+1.20R)' });
    expect(sent[0].equityPng?.subarray(1, 4).toString()).toBe('PNG');
    const logged: string[] = [];
    const failing = scheduleReports({
      executor, timezone: 'UTC', send: () => Promise.reject(new Error('telegram down')),
      logger: { warn: (message: string) => void logged.push(message) } as never,
    });
    await failing.runNow('day');
    failing();
    expect(logged).toEqual(['scheduled report failed']);
  });
});
