// Candidate recall: for every case with an expected target, are all its expected entities among
// the candidates the model would be offered? Measured on each home as it is and grown to 200 and
// 2000 entities (same rooms and devices plus many more), so the scaling shows side by side.
import { readFile } from 'node:fs/promises';
import { Catalog } from '../../src/catalog/catalog.js';
import { catalogFromSnapshot } from '../../src/catalog/snapshot.js';
import { growHome } from '../../src/catalog/synthetic-home.js';
import type { HomeSnapshot } from '../../src/catalog/types.js';
import { retrieveCandidates } from '../../src/understanding/candidates/retrieve-candidates.js';
import { CatalogIndex } from '../../src/understanding/fastpath/catalog-index.js';
import { homeFile, type EvalCase, type HomeName } from './cases.js';

export interface RecallRow {
  home: HomeName;
  /** 'base' is the home as written; numbers are grown sizes. */
  size: string;
  entities: number;
  cases: number;
  recalled: number;
  recall: number;
  median: number;
  max: number;
  /** Microseconds per retrieval once the catalog's caches are warm (CPU figure). */
  usPerRequest: number;
  missed: Array<{ id: string; text: string; missing: string[] }>;
}

function expectedIds(c: EvalCase): string[] {
  return [...new Set([...c.expect.actions.flatMap((a) => a.entity_ids), ...c.expect.query_entity_ids])];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

export async function measureRecall(cases: readonly EvalCase[], root: string, sizes: readonly number[] = [200, 2000]): Promise<RecallRow[]> {
  const rows: RecallRow[] = [];
  const homes = [...new Set(cases.map((c) => c.home))];
  for (const home of homes) {
    const snapshot = JSON.parse(await readFile(homeFile(home, root), 'utf8')) as HomeSnapshot;
    const mine = cases.filter((c) => c.home === home && expectedIds(c).length > 0);
    const variants: Array<[string, HomeSnapshot]> = [['base', snapshot], ...sizes.filter((n) => n > snapshot.entities.length).map((n) => [String(n), growHome(snapshot, n)] as [string, HomeSnapshot])];
    for (const [size, snap] of variants) {
      const catalog: Catalog = catalogFromSnapshot(snap, `${home}@${size}`);
      const index = new CatalogIndex(catalog);
      const counts: number[] = [];
      const missed: RecallRow['missed'] = [];
      // One untimed pass first: the per-catalog caches (kinds, name words) fill on first use.
      for (const c of mine) retrieveCandidates(c.text, c.area_id ?? null, catalog, index);
      const t0 = performance.now();
      for (const c of mine) {
        const got = new Set(retrieveCandidates(c.text, c.area_id ?? null, catalog, index).entity_ids);
        counts.push(got.size);
        const missing = expectedIds(c).filter((id) => !got.has(id));
        if (missing.length) missed.push({ id: c.id, text: c.text, missing });
      }
      const us = ((performance.now() - t0) * 1000) / Math.max(1, mine.length);
      rows.push({
        home, size, entities: catalog.size, cases: mine.length, recalled: mine.length - missed.length,
        recall: mine.length ? (mine.length - missed.length) / mine.length : 1,
        median: median(counts), max: Math.max(0, ...counts), usPerRequest: us, missed,
      });
    }
  }
  return rows;
}

export function formatRecall(rows: readonly RecallRow[], verbose: boolean): string {
  const lines = ['', 'candidate retrieval (what the model would be offered; budget 40)', 'home       size  entities  cases  recall   median  max  µs/request'];
  for (const r of rows) {
    lines.push(
      `${r.home.padEnd(10)} ${r.size.padStart(4)}  ${String(r.entities).padStart(8)}  ${String(r.cases).padStart(5)}  ${(r.recall * 100).toFixed(1).padStart(5)}%  ${String(r.median).padStart(6)}  ${String(r.max).padStart(3)}  ${r.usPerRequest.toFixed(0).padStart(10)}`,
    );
  }
  if (verbose) {
    for (const r of rows) for (const m of r.missed) lines.push(`  missed ${r.home}@${r.size} ${m.id} "${m.text}": ${m.missing.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
