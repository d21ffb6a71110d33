import type { Migration } from 'kysely';
import * as m20261121_0101_knowledge from './20261121_0101_knowledge.ts';
import * as m20261202_0101_index_log from './20261202_0101_index_log.ts';
import * as m20261202_1500_index_log_embedding from './20261202_1500_index_log_embedding.ts';

/** The knowledge base's migrations, run with their own bookkeeping table (`knowledge_migration`). Never edit a landed one. */
export const knowledgeMigrations: Record<string, Migration> = {
  '20261121_0101_knowledge': m20261121_0101_knowledge,
  '20261202_0101_index_log': m20261202_0101_index_log,
  '20261202_1500_index_log_embedding': m20261202_1500_index_log_embedding,
};
