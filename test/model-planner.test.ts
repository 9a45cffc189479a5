// The model planner on the real llama.cpp with the generated tiny model (real tokenizer and chat
// template, random weights). Random weights plan nonsense, so these tests assert what the design
// guarantees whatever the weights: every plan is schema-valid and names only catalog entities
// with valid services and data (the grammar never lets the model write one the checks refuse),
// deadlines and a full queue are answered, and the prompt's prefix is reused.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../src/catalog/catalog.js';
import { catalogFromSnapshot, loadSnapshotFile } from '../src/catalog/snapshot.js';
import { growHome } from '../src/catalog/synthetic-home.js';
import type { HomeSnapshot } from '../src/catalog/types.js';
import { checkCatalog } from '../src/checks/catalog-check.js';
import { checkPlanSchema } from '../src/checks/schema-check.js';
import { demoHomeFile } from '../src/config/package-root.js';
import { createLogger } from '../src/log/logger.js';
import { writeFixtureModel } from '../src/model/fixture/qwen2-fixture.js';
import { loadModelRuntime, type ModelRuntime } from '../src/model/load-model.js';
import { ModelPlanner, type ModelPlannerOptions } from '../src/model/model-planner.js';
import { planRequest } from '../src/pipeline/plan-request.js';
import { plan as planCommand } from '../src/cli/commands/plan.js';
import type { Plan } from '../src/plan/types.js';
import { fakeIo } from './support/fake-io.js';
import { LogCapture } from './support/daemon-harness.js';

let dir: string;
let tinyPath: string;
let runtime: ModelRuntime;
let catalog: Catalog;
const logs = new LogCapture();
const log = createLogger({ level: 'debug', destination: logs });

// Requests the fast path leaves: odd phrasings, chit-chat, questions, tasks for other homes.
const REQUESTS = [
  'make the place feel cosy for a film',
  'is anything left switched on downstairs',
  'the kitchen is far too bright',
  'get the house ready for bed',
  'could you do something about the noise in the living room',
  'what is the weather on mars',
  'open up the front of the house',
  'i am cold',
  'turn everything off except the hall',
  'lock the front door and the back door please',
  'book me a table for two',
  'set the mood in the bedroom',
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hestia-model-'));
  tinyPath = join(dir, 'tiny.gguf');
  await writeFixtureModel({ preset: 'tiny', out: tinyPath });
  runtime = await loadModelRuntime({ source: tinyPath, gpu: 'cpu', threads: 1, contextSize: 4096, cacheDir: join(dir, 'cache') }, log);
  catalog = await loadSnapshotFile(demoHomeFile());
}, 60_000);

afterAll(async () => {
  await runtime?.dispose();
  await rm(dir, { recursive: true, force: true });
});

function planner(options: Partial<ModelPlannerOptions> = {}): ModelPlanner {
  return new ModelPlanner({ runtime, log, maxTokens: 128, ...options });
}

function expectValid(plan: Plan, text: string): void {
  expect(checkPlanSchema(plan), text).toEqual([]);
  // Whatever the weights chose, nothing the checks would refuse: the grammar is never looser.
  expect(plan.status, `${text}: ${JSON.stringify(plan)}`).toMatch(/^(ok|needs_confirmation|no_match)$/);
  expect(checkCatalog(plan, catalog), text).toEqual([]);
  for (const a of plan.actions) for (const id of a.entity_ids) expect(catalog.entity(id)?.exposed, id).toBe(true);
}

describe('the model planner with the tiny model', () => {
  it('loads on the CPU with the threads asked for, and reports what it loaded', () => {
    expect(runtime.info).toMatchObject({ backend: 'cpu', gpu_requested: 'cpu', threads: 1, context_size: 4096, gpu_layers: 0 });
    expect(runtime.info.file).toBe(tinyPath);
    expect(logs.text).toContain('"msg":"model loaded"');
  });

  it('answers every request with a valid plan over the home (greedy and sampled, whole home and candidates)', async () => {
    const runs: Array<Partial<ModelPlannerOptions>> = [
      { temperature: 0 },
      { temperature: 1.2, seed: 7 },
      { temperature: 1.2, seed: 99, wholeHomeMaxEntities: 0 },
    ];
    let ok = 0;
    for (const options of runs) {
      const p = planner(options);
      for (const [i, text] of REQUESTS.entries()) {
        const plan = await planRequest({ id: `r${i}`, text, area_id: i % 2 ? 'living_room' : null }, { catalog, planners: [p], log });
        expectValid(plan, text);
        expect(plan.source).toBe('model');
        if (plan.status === 'ok') ok += 1;
      }
      await p.close();
    }
    // Random weights still reach actions and questions: the grammar leaves them real choices.
    expect(ok).toBeGreaterThan(REQUESTS.length);
  }, 240_000);

  it('thinks within its thought budget, logs the thought at debug level, then answers validly', async () => {
    const p = planner({ thoughtBudget: 12 });
    const plan = await planRequest({ id: 't1', text: 'get the house ready for bed', area_id: null }, { catalog, planners: [p], log });
    expectValid(plan, 't1');
    expect(plan.source).toBe('model');
    // At most the budget, the two think tokens and the answer.
    expect(p.lastRun?.generated_tokens).toBeLessThanOrEqual(12 + 2 + 128);
    const thought = logs.entries().find((e) => e.msg === 'model thought' && e.request_id === 't1');
    expect(thought).toBeDefined();
    // Thoughts never reach the plan (and so never a device or a speaker).
    const text = String(thought?.thought ?? '');
    if (text.trim().length > 3) expect(JSON.stringify(plan)).not.toContain(text);
    expect(Object.keys(plan)).not.toContain('thought');
    await p.close();
  }, 60_000);

  it('keeps the prompt prefix in the KV cache: the second request evaluates a small fraction of the first', async () => {
    await runtime.sequence.clearHistory();
    const p = planner();
    await planRequest({ id: 'a', text: 'the kitchen is far too bright', area_id: null }, { catalog, planners: [p], log });
    const first = p.lastRun;
    await planRequest({ id: 'b', text: 'set the mood in the bedroom', area_id: 'bedroom' }, { catalog, planners: [p], log });
    const second = p.lastRun;
    expect(first?.evaluated_tokens).toBeGreaterThan(1000);
    expect(second?.reused_tokens).toBeGreaterThan(1000);
    expect(second?.evaluated_tokens ?? Infinity).toBeLessThan((first?.evaluated_tokens ?? 0) * 0.05);

    const cold = planner({ reusePrefix: false });
    await planRequest({ id: 'c', text: 'set the mood in the bedroom', area_id: 'bedroom' }, { catalog, planners: [cold], log });
    expect(cold.lastRun?.reused_tokens).toBe(0);
    await Promise.all([p.close(), cold.close()]);
  }, 60_000);

  it('shows a large home as candidates: the prompt holds only what the request can mean', async () => {
    const p = planner({ wholeHomeMaxEntities: 10 });
    const explained = p.explain({ id: 'x', text: 'dim the sofa lamp', area_id: 'living_room' }, catalog);
    expect(explained.candidate_entity_ids).toContain('light.sofa_lamp');
    expect(explained.candidate_entity_ids.length).toBeLessThan(20);
    const whole = planner().explain({ id: 'x', text: 'dim the sofa lamp', area_id: 'living_room' }, catalog);
    expect(explained.prompt_tokens).toBeLessThan(whole.prompt_tokens);
    // The same request in a 2000-entity home built around this one: the prompt stays the same size.
    const demo = JSON.parse(await readFile(demoHomeFile(), 'utf8')) as HomeSnapshot;
    const large = catalogFromSnapshot(growHome(demo, 2000));
    const big = planner({ wholeHomeMaxEntities: 250 }).explain({ id: 'x', text: 'dim the sofa lamp', area_id: 'living_room' }, large);
    expect(big.candidate_entity_ids).toContain('light.sofa_lamp');
    expect(big.prompt_tokens).toBeLessThan(explained.prompt_tokens * 1.5);
    await p.close();
  });

  it('answers timeout when the deadline passes while waiting, and busy when the queue is full', async () => {
    const p = planner({ maxQueue: 1 });
    const deps = { catalog, planners: [p], log };
    const running = planRequest({ id: 'q1', text: 'i am cold', area_id: null }, deps);
    const waiting = planRequest({ id: 'q2', text: 'i am cold', area_id: null }, deps, AbortSignal.timeout(1));
    const refused = planRequest({ id: 'q3', text: 'i am cold', area_id: null }, deps);
    expect(await refused).toMatchObject({ status: 'busy', source: 'model', error: { code: 'HESTIA_BUSY' } });
    expect(checkPlanSchema(await refused)).toEqual([]);
    expect(await waiting).toMatchObject({ status: 'timeout', actions: [], error: { code: 'HESTIA_TIMEOUT' } });
    // q2 left the queue at its deadline, so q4 takes its place.
    const queued = planRequest({ id: 'q4', text: 'i am cold', area_id: null }, deps);
    expectValid(await running, 'q1');
    expectValid(await queued, 'q4');

    // A deadline that passes during generation stops it; nothing is proposed.
    const slow = planRequest({ id: 'q5', text: 'get the house ready for bed', area_id: null }, deps, AbortSignal.timeout(30));
    expect(await slow).toMatchObject({ status: 'timeout', actions: [] });
    await p.close();
    expect(await planRequest({ id: 'q6', text: 'i am cold', area_id: null }, deps)).toMatchObject({ status: 'busy' });
  }, 60_000);

  it('can be steered to a reference answer within the grammar (for benchmarks), and not to an invalid one', async () => {
    const answer = '{"do":[["media_player.media_play","media_player.bedroom_speaker"]]}';
    const invalid = '{"do":[["media_player.media_play","media_player.garage_speaker"]]}';
    const steered = planner({ steer: (input) => (input.id === 's1' ? answer : invalid) });
    const plan = await planRequest({ id: 's1', text: 'put something relaxing on in the bedroom', area_id: null }, { catalog, planners: [steered], log });
    expect(steered.lastRun?.steered).toBe(true);
    expect(plan.actions).toEqual([{ domain: 'media_player', service: 'media_play', entity_ids: ['media_player.bedroom_speaker'], data: {} }]);
    // A device that does not exist cannot be written, steered or not.
    const other = await planRequest({ id: 's2', text: 'put something relaxing on in the bedroom', area_id: null }, { catalog, planners: [steered], log });
    expect(steered.lastRun?.steered).toBe(false);
    expectValid(other, 's2');
    expect(JSON.stringify(other)).not.toContain('garage_speaker');
    await steered.close();
  }, 60_000);

  it('stops reading a long prompt at its deadline instead of finishing it', async () => {
    await runtime.sequence.clearHistory();
    const p = planner();
    const input = { id: 'd', text: 'the kitchen is far too bright', area_id: null };
    const promptTokens = p.explain(input, catalog).prompt_tokens;
    const deadline = new AbortController();
    // The deadline passes once the model has started on the prompt.
    const watch = setInterval(() => {
      if (runtime.sequence.nextTokenIndex > 0) deadline.abort();
    }, 1);
    const plan = await planRequest(input, { catalog, planners: [p], log }, deadline.signal);
    clearInterval(watch);
    expect(plan).toMatchObject({ status: 'timeout', actions: [], error: { code: 'HESTIA_TIMEOUT' } });
    await p.close(); // waits for the slice being read when the deadline passed
    expect(runtime.sequence.nextTokenIndex).toBeGreaterThan(0);
    expect(runtime.sequence.nextTokenIndex).toBeLessThan(promptTokens - 1);
    // What was read stays cached: the next request goes on from there.
    const next = planner();
    await planRequest({ ...input, id: 'd2' }, { catalog, planners: [next], log });
    expect(next.lastRun?.reused_tokens).toBeGreaterThan(0);
    await next.close();
  }, 60_000);

  it('saves the evaluated prefix and loads it at the next start instead of evaluating it again', async () => {
    const stateDir = join(dir, 'state');
    await runtime.sequence.clearHistory();
    const first = planner({ stateDir });
    const cold = await first.warmUp(catalog);
    expect(cold).toMatchObject({ from_file: false });
    expect(cold.prefix_tokens).toBeGreaterThan(1000);
    expect((await readdir(stateDir)).filter((f) => f.endsWith('.state'))).toHaveLength(1);
    await first.close();

    await runtime.sequence.clearHistory();
    const restarted = planner({ stateDir });
    const warm = await restarted.warmUp(catalog);
    expect(warm).toMatchObject({ from_file: true, prefix_tokens: cold.prefix_tokens });
    await planRequest({ id: 'w', text: 'i am cold', area_id: null }, { catalog, planners: [restarted], log });
    expect(restarted.lastRun?.reused_tokens).toBeGreaterThanOrEqual(cold.prefix_tokens);
    expect(restarted.lastRun?.evaluated_tokens).toBeLessThan(60);
    await restarted.close();
  }, 60_000);
});

describe('hestia plan --model', () => {
  it('plans with the fast path first and the model for the rest, and explains the prompt size', async () => {
    const io = fakeIo(['--model', tinyPath, '--threads', '1', '--explain']);
    const lines = [
      { id: 'f', text: 'turn on the kitchen light' },
      { id: 'm', text: 'make the place feel cosy for a film', area_id: 'living_room' },
      { id: 'q', text: 'what is the weather on mars' },
    ];
    (io.stdin as unknown as NodeJS.WritableStream).end(lines.map((l) => JSON.stringify(l)).join('\n'));
    expect(await planCommand(io)).toBe(0);
    const plans = io.out().trim().split('\n').map((l) => JSON.parse(l) as Plan & { explain: { candidate_entity_ids: string[]; prompt_tokens: number } });
    expect(plans.map((p) => p.id)).toEqual(['f', 'm', 'q']);
    expect(plans[0]).toMatchObject({ status: 'ok', source: 'fast' });
    expect(plans[1]?.source).toBe('model');
    for (const p of plans) {
      const { explain, ...plan } = p;
      expectValid(plan, p.id);
      expect(explain.prompt_tokens).toBeGreaterThan(1000);
    }
    expect(plans[1]?.explain.candidate_entity_ids).toContain('scene.movie_night');
  }, 60_000);
});
