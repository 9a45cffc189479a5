// Precision invariants over every request of the evaluation set: whatever a request means, the same
// request for later, for a while, on a schedule or a condition, negated, asked as a hypothetical
// or about ("did you ..."), or taken back at once ("..., just kidding") must never act. (Probes of
// this kind found requests acting at once because a time word matched a device's name, "Good
// Morning", "Quiet Hours", and 2,389 requests acting although "just kidding" followed them.)
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { planRequest } from '../src/pipeline/plan-request.js';
import { FastPathPlanner } from '../src/understanding/fastpath/fast-path-planner.js';
import { repoRoot } from './eval/cases.js';
import { loadEvalSet, type EvalSet } from './eval/evaluate.js';

let set: EvalSet;
beforeAll(async () => {
  set = await loadEvalSet(join(repoRoot(), 'test/eval/cases'), repoRoot());
});

const VARIANTS: Array<(text: string) => string> = [
  (t) => `don't ${t}`,
  (t) => `never ${t}`,
  (t) => `${t} tomorrow`,
  (t) => `${t} in ten minutes`,
  (t) => `${t} for an hour`,
  (t) => `${t} at 7 pm`,
  (t) => `${t} every morning`,
  (t) => `${t} until midnight`,
  (t) => `${t} after sunset`,
  (t) => `${t} when I get home`,
  (t) => `${t} later`,
  (t) => `if it gets dark ${t}`,
  (t) => `what would happen if you ${t}`,
  // Taken back at once.
  (t) => `${t}, just kidding`,
  (t) => `${t}, no wait, don't`,
  (t) => `${t}, actually never mind`,
  (t) => `${t}, scratch that`,
];

/** Questions about the action, not requests for it. Asked only of requests said in one clause
 *  without the wake word: a request starts at the wake word, and "did you ... we just arrived! start
 *  the routine" asks nothing of the command after the break. */
const ASKED_ABOUT: Array<(text: string) => string> = [
  (t) => `should I ${t}`,
  (t) => `did you ${t}`,
  (t) => `why did you ${t}`,
  (t) => `who told you to ${t}`,
];

describe('precision invariants over the evaluation set', () => {
  it('never acts on a request negated, deferred, repeated, conditional or hypothetical', async () => {
    const planner = new FastPathPlanner();
    const acted: string[] = [];
    let probes = 0;
    for (const c of set.cases) {
      const catalog = set.catalogs.get(c.home);
      if (!catalog) continue;
      const base = c.text.replace(/[.!?]+$/, '');
      const text = base.charAt(0).toLowerCase() + base.slice(1);
      const oneClause = !/\bhestia\b|[,;!.]|\bso\b/i.test(text);
      for (const variant of oneClause ? [...VARIANTS, ...ASKED_ABOUT] : VARIANTS) {
        const probe = variant(text);
        probes += 1;
        const plan = await planRequest({ id: c.id, text: probe, area_id: c.area_id ?? null }, { catalog, planners: [planner] });
        if (plan.actions.length > 0) acted.push(`${c.id}: ${probe}`);
      }
    }
    expect(probes).toBeGreaterThan(10_000);
    expect(acted).toEqual([]);
  }, 120_000);
});
