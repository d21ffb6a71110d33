/** The real bot on the emulator with the execution feature installed over a fake executor. */
import { createHash } from 'node:crypto';
import { installExecutionFeature } from '../../../src/bot/execution/index.ts';
import { startIta, type ItaHarness } from '../harness.ts';
import { createFakeExecutor, type FakeExecutor } from './fake-executor.ts';

export interface ExecutionHarness extends ItaHarness {
  executor: FakeExecutor;
}

export async function startExecution(options: { allowedUserIds?: number[] } = {}): Promise<ExecutionHarness> {
  const h = await startIta(options);
  const executor = createFakeExecutor();
  installExecutionFeature(h.ita, executor, { timeZone: 'Europe/Moscow' });
  return Object.assign(h, { executor });
}

/** The short position ID by its definition: the first 8 hex digits of SHA-256 of the position id. */
export const shortId = (id: string) => createHash('sha256').update(id).digest('hex').slice(0, 8);

type Keyboarded = { reply_markup?: { inline_keyboard?: Array<Array<{ callback_data?: string; text: string }>> } };
export const buttons = (m: Keyboarded) => m.reply_markup?.inline_keyboard?.flat().map((b) => [b.text, b.callback_data ?? '']) ?? [];
