/**
 * The lab and theory services from the configuration: the simulation settings of the bot's /backtest
 * (backtestSettings: fees, equity, account and leverage, signal policy, governance), the LLM router with its daily
 * budget, the configured multi-model mode, survivors saved into setupsDir and old JSON runs under <dataDir>/lab/
 * imported into the database.
 */
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { SetupRegistry } from '../engine/journal/setup-registry.ts';
import type { Config } from '../config.ts';
import type { Governance } from '../engine/risk/index.ts';
import { createLabServices, type LabServiceDatabase } from '../engine/lab/service.ts';
import type { LlmRouter } from '../knowledge/llm/index.ts';
import { backtestSettings } from './backtest-settings.ts';
import type { WorkQueue } from '../engine/queue/remote.ts';

export { labMigrations, LAB_MIGRATION_TABLE } from '../engine/lab/store.ts';

export function createLabServicesFromConfig(o: { db: Kysely<LabServiceDatabase>; llm: LlmRouter | null; config: Config; governance: Governance; registry?: Pick<SetupRegistry, 'define'>; queue?: WorkQueue }) {
  const { config } = o;
  return createLabServices({
    db: o.db,
    llm: o.llm,
    mode: config.llm.mode,
    settings: backtestSettings(config, o.governance),
    setupsDir: config.setupsDir,
    dataDir: config.dataDir,
    queue: o.queue,
    // Adopted by the registry as they are (disabled), so /setups lists them and /setup ID can enable them.
    onSaved: o.registry ? async (files) => { for (const file of files) await o.registry!.define(readFileSync(file, 'utf8'), file); } : undefined,
  });
}
