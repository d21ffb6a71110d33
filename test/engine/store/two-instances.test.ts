/**
 * Two ITA instances on one PostgreSQL database (the desk's shared store): each opens the database with every
 * migration set, as `ita start` does, and builds its own services on it. What one writes, the other reads: a setup
 * version made by a chat edit on one is the version the other starts on; a trade one executor journaled is in the
 * other's statistics for that setup version and in its Notion export rows; a document uploaded on one is cited in the
 * other's answers (each keeps its own search index, in its own directory, caught up from the shared index log) and
 * is gone from them once removed.
 */
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../../src/engine/store/database.ts';
import { allMigrations } from '../../../src/app/store-migrations.ts';
import { createSetupRegistry } from '../../../src/engine/journal/setup-registry.ts';
import { listSetupVersions } from '../../../src/engine/journal/setup-versions.ts';
import { loadSetupsDir } from '../../../src/engine/setups/index.ts';
import { loadSetupHistory } from '../../../src/app/setup-history.ts';
import { tradeRows } from '../../../src/integrations/notion/rows.ts';
import { answerQuestion } from '../../../src/knowledge/answer/index.ts';
import { LocalHashEmbedder } from '../../../src/knowledge/embedding/local.ts';
import { openKnowledgeBase, type KnowledgeBase, type Passage, type RetrievedPassage } from '../../../src/knowledge/index.ts';
import { ROOT } from '../../helpers/candles.ts';
import { postgresBackend, type StoreLocation } from '../../helpers/backends.ts';
import { candle, openHarness, signal, T0, warmUp, type Harness } from '../exec/executor/harness.ts';

const FIXTURES = path.join(ROOT, 'test/fixtures/knowledge');
const emaCross = () => loadSetupsDir(path.join(ROOT, 'setups')).setups.filter((s) => s.id === 'ema_cross');

describe.skipIf(!postgresBackend.available)(`two ITA instances on one PostgreSQL database [${postgresBackend.name}]`, () => {
  let location: StoreLocation;
  let a: OpenedDatabase;
  let b: OpenedDatabase;
  let trader: Harness | undefined;
  const bases: KnowledgeBase[] = [];

  beforeEach(async () => {
    location = await postgresBackend.create();
    // Started together, as two traders' machines may be: the advisory lock lets one migrate, the other waits.
    [a, b] = await Promise.all([openDatabase(location.target, allMigrations), openDatabase(location.target, allMigrations)]);
  });
  afterEach(async () => {
    await trader?.close();
    trader = undefined;
    for (const kb of bases.splice(0)) await kb.close();
    await a.close();
    await b.close();
    await location.drop();
  });

  it('a setup version created on one instance is listed by the other, which starts on it', async () => {
    const [original] = emaCross();
    const onA = await createSetupRegistry({ db: a.db, setups: [original], now: () => T0 });
    const changed = await onA.setParam('ema_cross', 'fast', 12);
    expect(changed.setup.version).not.toBe(original.version);

    const seenByB = await listSetupVersions(b.db, 'ema_cross');
    expect(seenByB.map((v) => v.version).sort()).toEqual([original.version, changed.setup.version].sort());
    expect(seenByB.find((v) => v.version === changed.setup.version)!.source).toContain('value: 12');
    // B loads the same YAML file and applies the shared chat overrides: it trades A's version.
    const onB = await createSetupRegistry({ db: b.db, setups: emaCross(), now: () => T0 + 1 });
    expect(onB.get('ema_cross')!.setup.version).toBe(changed.setup.version);
  });

  it("a trade journaled by one instance's executor is in the other's statistics and export rows", async () => {
    trader = await openHarness(location.target);
    await warmUp(trader);
    await trader.feed(candle(0, 100, 100.5, 99.5, 100));
    expect((await trader.executor.approve(signal(0), 'trader')).status).toBe('accepted');
    await trader.feed(candle(1, 99.5, 99.8, 97, 97.5)); // through the stop at 98: −1R (entry 100, 40 units)

    const history = await loadSetupHistory(b.db, () => undefined);
    expect(history.history('test_setup', 'v1')).toEqual({ trades: 1, winRate: 0, expectancyR: -1 });
    const rows = await tradeRows(b.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ key: 'trade:sig-0', setup: 'test_setup', version: 'v1', symbol: 'BTC/USDT', side: 'long', entry: 100, exit: 98, r: -1, pnl: -80 });
  });

  it("a document uploaded on one instance is cited in the other's answers, and not once it is removed", async () => {
    // As `ita start` opens it: on the shared store, with the index files in each instance's own data directory.
    const knowledgeOn = async (opened: OpenedDatabase, name: string) => {
      const kb = await openKnowledgeBase({ dataDir: path.join(location.dir, name), dbFile: location.target, db: opened.db as Kysely<any>, embedding: new LocalHashEmbedder(256) });
      bases.push(kb);
      return kb;
    };
    const kbA = await knowledgeOn(a, 'a');
    const kbB = await knowledgeOn(b, 'b');
    await kbB.ingestFile(path.join(FIXTURES, 'risk-management.md'));
    const ask = (question: string) =>
      answerQuestion(question, { retriever: kbB, relevance: (_q: string, passages: Passage[]) => (kbB.isRelevant(passages as RetrievedPassage[]) ? passages : []) });
    const question = 'How often should I review my trading journal?';
    const before = await ask(question);
    expect(before.citations.map((c) => c.document)).not.toContain('trading-journal.txt');

    const uploaded = await kbA.ingestFile(path.join(FIXTURES, 'trading-journal.txt'));
    const answered = await ask(question);
    expect(answered.mode).toBe('extractive');
    expect(answered.citations[0].document).toBe('trading-journal.txt');
    expect(answered.passages[0].text).toContain('Review the journal every weekend');

    expect(await kbA.removeDocument(uploaded.document.id)).toBe(true);
    const after = await ask(question);
    expect(after.citations.map((c) => c.document)).not.toContain('trading-journal.txt');
    expect((await kbB.retrieve(question, 10)).map((p) => p.document)).not.toContain('trading-journal.txt');
  });
});
