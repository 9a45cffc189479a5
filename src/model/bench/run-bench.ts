// The model planner's benchmark: the same requests against homes of 50, 200 and 2000 entities (the
// demo home, grown with more rooms, so the devices the requests mean stay the same), with the
// prompt prefix reused and with reuse off, in one run so the gain shows as a ratio on the same
// machine at the same moment. Random weights choose nonsense; what is timed is the work a real
// model does for the same prompt and grammar.
import type { Catalog } from '../../catalog/catalog.js';
import { catalogFromSnapshot } from '../../catalog/snapshot.js';
import { growHome } from '../../catalog/synthetic-home.js';
import type { HomeSnapshot } from '../../catalog/types.js';
import type { Logger } from '../../log/logger.js';
import type { PlanInput } from '../../understanding/planner.js';
import type { ModelRuntime } from '../load-model.js';
import { ModelPlanner } from '../model-planner.js';

/**
 * Requests of the kind the fast path leaves to the model, each with the plan a good model would
 * write for it. The homes grow around the demo home, so the plan is the same in each: random
 * weights are steered to it (within the grammar), and the same request costs the same tokens at
 * every size, as with a real model. Unsteered runs are measured too ("free").
 */
const REQUESTS: Array<Omit<PlanInput, 'id'> & { plan: string }> = [
  { text: 'make it cosy in here for a film', area_id: 'living_room', plan: '{"do":[["scene.turn_on","scene.movie_night"]]}' },
  {
    text: 'the kitchen is way too bright',
    area_id: null,
    // Two entries: the grammar groups lights by what they can take, and these two differ.
    plan: '{"do":[["light.turn_on","light.kitchen_ceiling",{"brightness_step_pct":-25}],["light.turn_on","light.kitchen_counter",{"brightness_step_pct":-25}]]}',
  },
  { text: 'i am freezing', area_id: 'bedroom', plan: '{"do":[["climate.set_temperature","climate.bedroom_ac",{"temperature":24}]]}' },
  { text: 'get the house ready for bed', area_id: null, plan: '{"do":[["script.turn_on","script.bedtime"]]}' },
  { text: 'put something relaxing on in the bedroom', area_id: null, plan: '{"do":[["media_player.media_play","media_player.bedroom_speaker"]]}' },
  { text: 'is anything still on upstairs', area_id: null, plan: '{"ask":["light.bathroom_ceiling","light.bedroom_ceiling","light.kids_ceiling"]}' },
];

/** What a model writing the plain tokenisation needs for one single-device command. */
const SINGLE_ACTIONS = [
  '{"do":[["light.turn_on","light.kitchen_ceiling"]]}',
  '{"do":[["light.turn_off","light.sofa_lamp"]]}',
  '{"do":[["switch.turn_on","switch.christmas_tree"]]}',
  '{"do":[["scene.turn_on","scene.movie_night"]]}',
  '{"do":[["lock.lock","lock.front_door"]]}',
];

export interface HomeFigures {
  entities: number;
  mode: 'whole_home' | 'candidates';
  prompt_tokens_first: number;
  cold_ttft_ms: number;
  warm_ttft_ms: number;
  no_reuse_ttft_ms: number;
  p50_ms: number;
  p95_ms: number;
  no_reuse_p50_ms: number;
  evaluated_tokens_after_first: number;
  generated_tokens_mean: number;
  /** Runs that wrote exactly the reference plan (the grammar allowed every steered token). */
  steered_runs: string;
  /** The same warm requests, unsteered: what the random weights chose to write. */
  free_p50_ms: number;
  free_generated_tokens_mean: number;
  candidates_median: number;
  /** Each warm request's end-to-end time (steered), by its text: for side-by-side ratios. */
  request_ms: Record<string, number>;
}

export interface BenchFigures {
  model: string;
  backend: string;
  threads: number;
  quick: boolean;
  homes: Record<string, HomeFigures>;
  cold_ttft_ms: Record<string, number>;
  warm_ttft_ms: Record<string, number>;
  no_reuse_ttft_ms: Record<string, number>;
  p50_ms: Record<string, number>;
  p95_ms: Record<string, number>;
  tokens_per_single_action: number;
  peak_rss_mb: number;
  /** Largest home against the smallest (see homeRatios). */
  home_ratios: ReturnType<typeof homeRatios>;
}

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
};
const round = (n: number): number => Math.round(n * 10) / 10;

export interface BenchOptions {
  runtime: ModelRuntime;
  demo: HomeSnapshot;
  log: Logger;
  quick: boolean;
  sizes?: number[];
  /** Called with each home's figures as they are measured. */
  onHome?: (size: number, figures: HomeFigures) => void;
}

async function benchHome(runtime: ModelRuntime, catalog: Catalog, log: Logger, rounds: number): Promise<HomeFigures> {
  const requests = REQUESTS.slice(0, rounds);
  const plans = new Map(requests.map((r) => [r.text, r.plan]));
  const steer = (input: PlanInput): string | undefined => plans.get(input.text);
  const reuse = new ModelPlanner({ runtime, log, maxTokens: 96, steer });
  await runtime.sequence.clearHistory();
  const runs: Array<NonNullable<ModelPlanner['lastRun']>> = [];
  const timed = async (planner: ModelPlanner, request: Omit<PlanInput, 'id'>, i: number): Promise<NonNullable<ModelPlanner['lastRun']>> => {
    try {
      await planner.plan({ id: `bench-${i}`, ...request }, catalog);
    } catch {
      // An unfinished answer from random weights still cost its time; lastRun holds it.
    }
    const run = planner.lastRun;
    if (!run) throw new Error('the planner did not run');
    return run;
  };
  // The first request pays for the whole prompt; the rest reuse its prefix.
  for (const [i, request] of requests.entries()) runs.push(await timed(reuse, request, i));
  await reuse.close();
  const free = new ModelPlanner({ runtime, log, maxTokens: 96 });
  const freeRuns: Array<NonNullable<ModelPlanner['lastRun']>> = [];
  for (const [i, request] of requests.slice(1).entries()) freeRuns.push(await timed(free, request, i));
  await free.close();
  const noReuse = new ModelPlanner({ runtime, log, maxTokens: 96, reusePrefix: false, steer });
  const cold: Array<NonNullable<ModelPlanner['lastRun']>> = [];
  for (const [i, request] of requests.slice(1, Math.max(2, Math.ceil(rounds / 2))).entries()) cold.push(await timed(noReuse, request, i));
  await noReuse.close();
  const [first, ...warm] = runs;
  if (!first) throw new Error('no requests');
  return {
    entities: catalog.size,
    mode: first.mode,
    prompt_tokens_first: first.prompt_tokens,
    cold_ttft_ms: round(first.ttft_ms),
    warm_ttft_ms: round(quantile(warm.map((r) => r.ttft_ms), 0.5)),
    no_reuse_ttft_ms: round(quantile(cold.map((r) => r.ttft_ms), 0.5)),
    p50_ms: round(quantile(warm.map((r) => r.total_ms), 0.5)),
    p95_ms: round(quantile(warm.map((r) => r.total_ms), 0.95)),
    no_reuse_p50_ms: round(quantile(cold.map((r) => r.total_ms), 0.5)),
    evaluated_tokens_after_first: round(warm.reduce((s, r) => s + r.evaluated_tokens, 0) / Math.max(1, warm.length)),
    generated_tokens_mean: round(runs.reduce((s, r) => s + r.generated_tokens, 0) / runs.length),
    steered_runs: `${runs.filter((r) => r.steered).length}/${runs.length}`,
    free_p50_ms: round(quantile(freeRuns.map((r) => r.total_ms), 0.5)),
    free_generated_tokens_mean: round(freeRuns.reduce((s, r) => s + r.generated_tokens, 0) / Math.max(1, freeRuns.length)),
    candidates_median: quantile(runs.map((r) => r.candidate_count), 0.5),
    request_ms: Object.fromEntries(warm.map((r, i) => [requests[i + 1]?.text ?? String(i), round(r.total_ms)])),
  };
}

export async function runBench(options: BenchOptions): Promise<BenchFigures> {
  const { runtime, demo, log, quick } = options;
  const sizes = options.sizes ?? [50, 200, 2000];
  const homes: Record<string, HomeFigures> = {};
  for (const size of sizes) {
    const catalog = catalogFromSnapshot(size <= demo.entities.length ? demo : growHome(demo, size));
    const figures = await benchHome(runtime, catalog, log, quick ? 4 : REQUESTS.length);
    homes[String(size)] = figures;
    options.onHome?.(size, figures);
  }
  const pick = (k: keyof HomeFigures): Record<string, number> => Object.fromEntries(Object.entries(homes).map(([n, f]) => [n, f[k] as number]));
  const single = Math.max(...SINGLE_ACTIONS.map((t) => runtime.model.tokenize(t).length));
  const figures: BenchFigures = {
    model: runtime.info.file,
    backend: runtime.info.backend,
    threads: runtime.info.threads,
    quick,
    homes,
    cold_ttft_ms: pick('cold_ttft_ms'),
    warm_ttft_ms: pick('warm_ttft_ms'),
    no_reuse_ttft_ms: pick('no_reuse_ttft_ms'),
    p50_ms: pick('p50_ms'),
    p95_ms: pick('p95_ms'),
    tokens_per_single_action: single,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    home_ratios: null,
  };
  figures.home_ratios = homeRatios(figures);
  return figures;
}

export function benchTable(f: BenchFigures): string {
  const rows = Object.entries(f.homes).map(
    ([n, h]) =>
      `| ${n} | ${h.mode} | ${h.prompt_tokens_first} | ${h.cold_ttft_ms} | ${h.warm_ttft_ms} | ${h.no_reuse_ttft_ms} | ${round(h.cold_ttft_ms / Math.max(0.1, h.warm_ttft_ms))}x | ${h.p50_ms} | ${h.p95_ms} | ${h.no_reuse_p50_ms} | ${h.evaluated_tokens_after_first} | ${h.generated_tokens_mean} (${h.steered_runs} as steered) | ${h.free_p50_ms} | ${h.free_generated_tokens_mean} | ${h.candidates_median} |`,
  );
  return [
    `model ${f.model} on ${f.backend}, ${f.threads} threads${f.quick ? ' (quick)' : ''}; times in ms`,
    '| entities | prompt | prompt tokens | cold TTFT | warm TTFT | no-reuse TTFT | cold/warm | p50 | p95 | no-reuse p50 | evaluated after first | generated | free p50 | free generated | candidates |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    `tokens for a single-device command: ${f.tokens_per_single_action}; peak RSS ${f.peak_rss_mb} MB`,
    ...ratioLine(f),
  ].join('\n');
}

/**
 * The largest home against the smallest, measured side by side in this run: the ratio of p50s,
 * and — the fairer comparison — each request's time in the large home over its time in the small
 * one (the same request writing the same plan), as a median and a maximum.
 */
export function homeRatios(f: BenchFigures): { p50: number; free_p50: number; paired_median: number; paired_max: number } | null {
  const sizes = Object.keys(f.homes).map(Number).sort((a, b) => a - b);
  const small = f.homes[String(sizes[0])];
  const large = f.homes[String(sizes[sizes.length - 1])];
  if (!small || !large || sizes.length < 2) return null;
  const r = (a: number, b: number): number => Math.round((a / Math.max(0.1, b)) * 100) / 100;
  const paired = Object.keys(small.request_ms)
    .filter((text) => large.request_ms[text] !== undefined)
    .map((text) => r(large.request_ms[text] as number, small.request_ms[text] as number));
  return {
    p50: r(large.p50_ms, small.p50_ms),
    free_p50: r(large.free_p50_ms, small.free_p50_ms),
    paired_median: quantile(paired, 0.5),
    paired_max: paired.length ? Math.max(...paired) : 0,
  };
}

function ratioLine(f: BenchFigures): string[] {
  const sizes = Object.keys(f.homes).map(Number).sort((a, b) => a - b);
  const ratios = homeRatios(f);
  if (!ratios) return [];
  return [
    `${sizes[sizes.length - 1]} entities against ${sizes[0]}: p50 ${ratios.p50}x (unsteered ${ratios.free_p50}x); ` +
      `the same request, same plan: median ${ratios.paired_median}x, worst ${ratios.paired_max}x`,
  ];
}
