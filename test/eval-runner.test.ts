// What `npm run eval` reports: coverage and precision through the real pipeline, canonical
// comparison of plans, wrong attempts listed, and a loud failure when the cases are broken.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../src/catalog/catalog.js';
import type { Action } from '../src/plan/types.js';
import type { PlanInput, Planner, Proposal } from '../src/understanding/planner.js';
import { asksForLaterOrCondition } from '../src/understanding/schedule.js';
import { HOME_NAMES, repoRoot, type EvalCase } from './eval/cases.js';
import { runEval } from './eval/eval-command.js';
import { loadEvalSet, runCases } from './eval/evaluate.js';
import { figures, scoreCase } from './eval/score.js';

const root = repoRoot();
const set = await loadEvalSet(join(root, 'test', 'eval', 'cases'), root);
const byId = new Map(set.cases.map((c) => [c.id, c]));
const tmp = await mkdtemp(join(tmpdir(), 'hestia-eval-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** Answers each case with its own expectation, one entity per action, in reverse order. */
class AnswerKeyPlanner implements Planner {
  readonly source = 'fast' as const;
  plan(input: PlanInput): Proposal {
    const c = byId.get(input.id) as EvalCase;
    if (c.expect.status === 'no_match') return { status: 'no_match', actions: [], query_entity_ids: [], speech: '' };
    const actions: Action[] = c.expect.actions
      .flatMap((a) => a.entity_ids.map((id) => ({ domain: a.domain, service: a.service, entity_ids: [id] as [string], data: nudge(a.data) })))
      .reverse();
    return { status: 'ok', actions, query_entity_ids: [...c.expect.query_entity_ids].reverse(), speech: 'done' };
  }
}

/** Float noise a planner's arithmetic may leave behind (0.3 -> 0.30000001). */
function nudge(data: Action['data']): Action['data'] {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, typeof v === 'number' ? v + 1e-8 : v]));
}

/** Turns on the first light of the home whatever was said. */
class EagerPlanner implements Planner {
  readonly source = 'fast' as const;
  plan(_input: PlanInput, catalog: Catalog): Proposal {
    const light = [...catalog.entities()].find((e) => e.domain === 'light' && e.exposed);
    const actions: Action[] = light ? [{ domain: 'light', service: 'turn_on', entity_ids: [light.entity_id], data: {} }] : [];
    return { status: 'ok', actions, query_entity_ids: [], speech: 'ok' };
  }
}

class SilentPlanner implements Planner {
  readonly source = 'fast' as const;
  plan(): Proposal {
    return { status: 'no_match', actions: [], query_entity_ids: [], speech: '' };
  }
}

function capture() {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } },
    get out() {
      return out;
    },
    get err() {
      return err;
    },
  };
}

describe('scoring through the pipeline', () => {
  it('counts a plan equal to the expectation as correct however its actions are grouped', async () => {
    const okCases = set.cases.filter((c) => c.expect.status === 'ok');
    const { results } = await runCases(set, okCases, () => [new AnswerKeyPlanner()]);
    const f = figures(results);
    expect(f.attempted).toBe(okCases.length);
    expect(f.correct).toBe(okCases.length);
    expect(f.coverage).toBe(1);
    expect(f.precision).toBe(1);
  });

  it('gives a planner that never answers no coverage and no wrong attempts', async () => {
    const { results, throughput } = await runCases(set, set.cases, () => [new SilentPlanner()]);
    const f = figures(results);
    expect(f.coverage).toBe(0);
    expect(f.precision).toBeNull();
    expect(f.wrong).toBe(0);
    expect(throughput.requests).toBe(set.cases.length);
    expect(throughput.perSecond).toBeGreaterThan(0);
  });

  it('counts an attempt on a request the fast path must leave alone as wrong', async () => {
    const refusals = set.cases.filter((c) => c.family === 'out_of_scope');
    const { results } = await runCases(set, refusals, () => [new EagerPlanner()]);
    const f = figures(results);
    // Requests for later or on a condition are answered before any planner is asked.
    const later = refusals.filter((c) => asksForLaterOrCondition(c.text)).length;
    expect(later).toBeGreaterThan(0);
    expect(f.attempted).toBe(refusals.length - later);
    expect(f.correct).toBe(0);
    expect(f.precision).toBe(0);
  });

  it('tells a wrong status, a wrong value and a wrong entity apart from a match', () => {
    const unlock = set.cases.find((c) => c.expect.status === 'needs_confirmation') as EvalCase;
    const planned = { actions: unlock.expect.actions, query_entity_ids: [] };
    expect(scoreCase(unlock, { status: 'needs_confirmation', ...planned }, 0).correct).toBe(true);
    expect(scoreCase(unlock, { status: 'ok', ...planned }, 0)).toMatchObject({ attempted: true, correct: false });
    expect(scoreCase(unlock, { status: 'rejected', ...planned }, 0)).toMatchObject({ attempted: true, correct: false });

    const volume = set.cases.find((c) => c.expect.actions.some((a) => a.service === 'volume_set')) as EvalCase;
    const action = volume.expect.actions[0] as EvalCase['expect']['actions'][number];
    const level = action.data['volume_level'] as number;
    const withLevel = (v: number) => ({ status: 'ok' as const, query_entity_ids: [], actions: [{ ...action, data: { volume_level: v } }] });
    expect(scoreCase(volume, withLevel(level + 0.001), 0).correct).toBe(true);
    expect(scoreCase(volume, withLevel(level + 0.05), 0).correct).toBe(false);
    const other = { ...action, entity_ids: ['media_player.bedroom_speaker', ...action.entity_ids] };
    expect(scoreCase(volume, { status: 'ok', query_entity_ids: [], actions: [other] }, 0).correct).toBe(false);
  });

  it('counts one light.turn_on with two fields the same as two calls with one each, never a changed value', () => {
    const light = (data: Record<string, number>) => ({ domain: 'light', service: 'turn_on', entity_ids: ['light.sofa_lamp'], data });
    const c = { ...(set.cases[0] as EvalCase), expect: { status: 'ok' as const, query_entity_ids: [], actions: [light({ brightness_pct: 20 }), light({ color_temp_kelvin: 2700 })] } };
    expect(scoreCase(c, { status: 'ok', query_entity_ids: [], actions: [light({ brightness_pct: 20, color_temp_kelvin: 2700 })] }, 0).correct).toBe(true);
    expect(scoreCase(c, { status: 'ok', query_entity_ids: [], actions: [light({ brightness_pct: 30, color_temp_kelvin: 2700 })] }, 0).correct).toBe(false);
    expect(scoreCase(c, { status: 'ok', query_entity_ids: [], actions: [light({ brightness_pct: 20 })] }, 0).correct).toBe(false);
  });
});

describe('npm run eval', () => {
  it('prints tables per family and home, throughput and every wrong attempt, and writes --json', async () => {
    const run = capture();
    const json = join(tmp, 'figures.json');
    const code = await runEval(['--home', 'demo', '--json', json], run.io, { makePlanners: () => [new EagerPlanner()] });
    expect(code).toBe(0);
    expect(run.out).toMatch(/^family\s+cases\s+attempted\s+correct\s+wrong\s+coverage\s+precision$/m);
    expect(run.out).toMatch(/^demo\s+\d+/m);
    expect(run.out).not.toMatch(/^townhouse\s+\d+/m);
    expect(run.out).toMatch(/throughput: \d+ requests in [\d.]+ ms = \d+ requests\/s/);
    expect(run.out).toContain('"turn on the jacuzzi"');
    const figuresJson = JSON.parse(await readFile(json, 'utf8'));
    const demoCases = set.cases.filter((c) => c.home === 'demo');
    expect(figuresJson.totals.cases).toBe(demoCases.length);
    expect(figuresJson.totals.attempted).toBe(demoCases.filter((c) => !asksForLaterOrCondition(c.text)).length);
    expect(figuresJson.wrong.length).toBe(figuresJson.totals.wrong);
    expect(figuresJson.wrong.map((w: { id: string }) => w.id)).toContain(set.cases.find((c) => c.text === 'turn on the jacuzzi')?.id);
  });

  it('runs the whole set with the fast path and reports, exit code 0', async () => {
    const run = capture();
    const json = join(tmp, 'fast.json');
    expect(await runEval(['--json', json], run.io)).toBe(0);
    const figuresJson = JSON.parse(await readFile(json, 'utf8'));
    expect(figuresJson.totals.cases).toBe(set.cases.length);
    expect(Object.keys(figuresJson.by_home)).toEqual(HOME_NAMES);
    expect(figuresJson.totals.errors).toBe(0);
  });

  it('fails loudly, naming the case, when a case expects something the home does not have', async () => {
    const dir = join(tmp, 'bad-cases');
    await mkdir(dir);
    const good = (await readFile(join(root, 'test', 'eval', 'cases', 'demo.jsonl'), 'utf8')).split('\n')[0];
    const bad = '{"id":"zz9","home":"townhouse","family":"onoff","text":"turn on the hot tub","expect":{"status":"ok",' +
      '"actions":[{"domain":"switch","service":"turn_on","entity_ids":["switch.hot_tub"],"data":{}}],"query_entity_ids":[]}}';
    await writeFile(join(dir, 'cases.jsonl'), `${good}\n${bad}\n`);
    const run = capture();
    expect(await runEval(['--cases', dir], run.io)).toBe(1);
    expect(run.err).toContain('cases.jsonl:2 (zz9): unknown entity switch.hot_tub');
    expect(run.out).toBe('');
  });

  it('refuses an unknown option, home or family', async () => {
    for (const args of [['--home', 'castle'], ['--family', 'teleport'], ['--fast']]) {
      const run = capture();
      expect(await runEval(args, run.io)).toBe(2);
      expect(run.err).toContain('usage: npm run eval');
    }
  });
});
