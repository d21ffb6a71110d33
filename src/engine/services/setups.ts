/** Setups for the bot: list with per-version statistics, detail with YAML, switch on/off, change a parameter. */
import type { RegisteredSetup, SetupRegistry } from '../journal/setup-registry.ts';
import type { EngineServices, SetupStats, SetupSummary } from './types.ts';
import { draftSetupChange } from './setup-edits.ts';
import { InputError } from '../errors.ts';
import type { DecisionEdge } from '../learning/journal/decision-edge.ts';

export interface SetupsServiceOptions {
  registry: SetupRegistry;
  /** Statistics of a setup version from the journal and backtests; undefined until the executor records outcomes. */
  stats?: (setupId: string, version: string) => Promise<SetupStats | undefined>;
  /** Outcomes by decision for a setup version (the journal's learning); undefined when learning is not wired. */
  edge?: (setupId: string, version: string) => Promise<DecisionEdge | undefined>;
}

export function createSetupsService(options: SetupsServiceOptions): EngineServices['setups'] {
  const { registry } = options;
  const summary = async ({ setup }: RegisteredSetup): Promise<SetupSummary> => ({
    id: setup.id,
    name: setup.name,
    version: setup.version,
    timeframe: setup.timeframe,
    enabled: setup.enabled,
    stats: await options.stats?.(setup.id, setup.version),
    edge: await options.edge?.(setup.id, setup.version),
  });
  return {
    list: () => Promise.all(registry.all().map(summary)),
    async get(id) {
      const entry = registry.get(id);
      if (!entry) return undefined;
      const { setup } = entry;
      return { ...(await summary(entry)), description: setup.description.trim(), rationale: setup.rationale.trim(), params: setup.params, yaml: entry.yaml };
    },
    setEnabled: async (id, enabled) => summary(await registry.setEnabled(id, enabled)),
    setParam: async (id, name, value) => summary(await registry.setParam(id, name, value)),
    draft: async (id, change) => draftSetupChange(registry, id, change),
    async apply(draft) {
      const base = registry.get(draft.basedOn)?.setup;
      if (!base?.source) throw new Error(`setup ${draft.basedOn} has no file to write next to`);
      const source = base.source;
      // A draft shown before another edit landed would silently undo that edit.
      if (draft.baseVersion !== undefined && draft.baseVersion !== base.version) {
        throw new InputError(`setup ${draft.basedOn} changed since this draft (version ${draft.baseVersion.slice(0, 8)}, now ${base.version.slice(0, 8)}); nothing was changed, make the edit again`, { field: 'version', value: draft.baseVersion });
      }
      return summary(await registry.define(draft.yaml, source));
    },
  };
}
