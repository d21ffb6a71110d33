import type { Kysely } from 'kysely';
import type { Database } from '../../src/engine/store/schema.ts';

/**
 * A test store opened with the engine's tables plus extra migration sets (learning, lab, ...), seen as one of those
 * areas. openDatabase types only what its caller declares, and test rigs hand the same store to helpers typed on the
 * engine's tables; this states, at the call, that the area's migrations ran on it. Production code opens the whole
 * ItaDatabase and narrows with asArea (src/engine/store/area.ts) instead.
 */
export function storeArea<Area>(db: Kysely<Database>): Kysely<Area> {
  return db as unknown as Kysely<Area>;
}
