// Loads the evaluation set (homes and cases, validated) and runs every case through the real
// pipeline, timing each request.
import { loadSnapshotFile } from '../../src/catalog/snapshot.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { planRequest } from '../../src/pipeline/plan-request.js';
import type { Planner } from '../../src/understanding/planner.js';
import { HOME_NAMES, InvalidCasesError, homeFile, loadCases, type EvalCase, type HomeName } from './cases.js';
import { scoreCase, type CaseResult } from './score.js';
import { validateCases } from './validate-case.js';

export interface EvalSet {
  cases: EvalCase[];
  catalogs: Map<HomeName, Catalog>;
}

/** Reads both homes and every case file; throws InvalidCasesError listing every problem found. */
export async function loadEvalSet(casesDir: string, root: string): Promise<EvalSet> {
  const problems: string[] = [];
  const catalogs = new Map<HomeName, Catalog>();
  for (const home of HOME_NAMES) {
    try {
      catalogs.set(home, await loadSnapshotFile(homeFile(home, root)));
    } catch (err) {
      problems.push(`home ${home}: ${(err as Error).message}`);
    }
  }
  let cases: EvalCase[] = [];
  try {
    const loaded = await loadCases(casesDir);
    cases = loaded.cases;
    problems.push(...loaded.problems);
  } catch (err) {
    problems.push(`cannot read cases from ${casesDir}: ${(err as Error).message}`);
  }
  problems.push(...validateCases(cases, catalogs));
  if (problems.length > 0) throw new InvalidCasesError(problems);
  return { cases, catalogs };
}

export interface Throughput {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i] as number;
}

/**
 * Runs each case through planRequest with the planners made for its home. With repeat > 1 the
 * whole list runs again for a steadier throughput figure; results come from the first pass.
 */
export async function runCases(
  set: EvalSet,
  cases: readonly EvalCase[],
  makePlanners: (home: HomeName) => Planner[],
  repeat = 1,
): Promise<{ results: CaseResult[]; throughput: Throughput }> {
  const planners = new Map<HomeName, Planner[]>(HOME_NAMES.map((h) => [h, makePlanners(h)]));
  const results: CaseResult[] = [];
  const latencies: number[] = [];
  const started = performance.now();
  for (let pass = 0; pass < Math.max(1, repeat); pass++) {
    for (const c of cases) {
      const catalog = set.catalogs.get(c.home) as Catalog;
      const input = { id: c.id, text: c.text, area_id: c.area_id ?? null };
      const t0 = performance.now();
      let result: CaseResult;
      try {
        const plan = await planRequest(input, { catalog, planners: planners.get(c.home) ?? [] });
        result = scoreCase(c, plan, performance.now() - t0);
      } catch (err) {
        const ms = performance.now() - t0;
        const got = { status: 'error' as const, actions: [], query_entity_ids: [] };
        result = scoreCase(c, got, ms, err instanceof Error ? (err.stack ?? err.message) : String(err));
      }
      latencies.push(result.ms);
      if (pass === 0) results.push(result);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    results,
    throughput: {
      requests: latencies.length,
      seconds,
      perSecond: seconds > 0 ? latencies.length / seconds : 0,
      p50Ms: percentile(latencies, 0.5),
      p95Ms: percentile(latencies, 0.95),
      maxMs: latencies.at(-1) ?? 0,
    },
  };
}
