// The planning pipeline: planners in order, then the schema, catalog and sensitivity checks, and a
// plan whose status says what may happen to it. Planners here are fixed-answer test planners, so
// each status is reached on purpose.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSnapshotFile } from '../src/catalog/snapshot.js';
import { checkPlanSchema } from '../src/checks/schema-check.js';
import { HestiaError } from '../src/errors.js';
import { LATER_SPEECH, planRequest, type PipelineDeps } from '../src/pipeline/plan-request.js';
import type { Action, Plan } from '../src/plan/types.js';
import type { PlanInput, Planner, Proposal } from '../src/understanding/planner.js';

const catalog = await loadSnapshotFile(fileURLToPath(new URL('../config/demo-home.json', import.meta.url)));
const input: PlanInput = { id: 'r1', text: 'whatever the planner says', area_id: null };

function act(domain: string, service: string, ids: string[], data: Action['data'] = {}): Action {
  return { domain, service, entity_ids: ids as Action['entity_ids'], data };
}

/** Answers every request with the same proposal and counts how often it was asked. */
class FixedPlanner implements Planner {
  calls = 0;
  constructor(readonly source: 'fast' | 'model', private readonly answer: Proposal | (() => Proposal | Promise<Proposal>)) {}
  plan(): Proposal | Promise<Proposal> {
    this.calls += 1;
    return typeof this.answer === 'function' ? this.answer() : this.answer;
  }
}

const ok = (actions: Action[], speech = 'Done.', query: string[] = []): Proposal => ({ status: 'ok', actions, query_entity_ids: query, speech });
const noMatch: Proposal = { status: 'no_match', actions: [], query_entity_ids: [], speech: '' };

async function run(...planners: Planner[]): Promise<Plan> {
  const plan = await planRequest(input, { catalog, planners });
  // Whatever happens, what comes out is a valid plan.
  expect(checkPlanSchema(plan)).toEqual([]);
  return plan;
}

describe('which planner answers', () => {
  it('the first planner that does not say no_match wins, and the later ones are not asked', async () => {
    const first = new FixedPlanner('fast', noMatch);
    const second = new FixedPlanner('model', ok([act('light', 'turn_on', ['light.porch'])], 'Turning on the porch light.'));
    const third = new FixedPlanner('fast', ok([act('light', 'turn_off', ['light.porch'])]));
    const plan = await run(first, second, third);
    expect(plan).toMatchObject({
      id: 'r1',
      status: 'ok',
      source: 'model',
      actions: [act('light', 'turn_on', ['light.porch'])],
      query_entity_ids: [],
      speech: 'Turning on the porch light.',
    });
    expect(plan.error).toBeUndefined();
    expect([first.calls, second.calls, third.calls]).toEqual([1, 1, 0]);
  });

  it('a request for later, for a while or on a condition is answered before any planner could act on it now', async () => {
    const eager = new FixedPlanner('model', ok([act('light', 'turn_on', ['light.porch'])], 'Turning on the porch light.'));
    for (const text of [
      'turn on the porch light in ten minutes',
      'switch the porch light on for an hour',
      'turn on the porch light every morning',
      'turn on the porch light at 7 pm',
      'turn on the porch light tomorrow',
      'turn on the porch light when I get home',
      'turn on the porch light after sunset',
    ]) {
      const plan = await planRequest({ id: 'later', text, area_id: null }, { catalog, planners: [eager] });
      expect(plan, text).toMatchObject({ status: 'no_match', actions: [], speech: LATER_SPEECH });
    }
    expect(eager.calls).toBe(0);
    // Words that only look like times are not: a night light, "heating at 21", dimming by 20 percent.
    for (const text of ['turn on the night light', 'heating at 21', 'dim the porch light by 20 percent', 'start the good morning scene']) {
      await planRequest({ id: 'now', text, area_id: null }, { catalog, planners: [eager] });
    }
    expect(eager.calls).toBe(4);
  });

  it('no planner understanding it is no_match from source none', async () => {
    const plan = await run(new FixedPlanner('fast', noMatch), new FixedPlanner('model', noMatch));
    expect(plan).toMatchObject({ status: 'no_match', source: 'none', actions: [], query_entity_ids: [], speech: "Sorry, I didn't understand that." });
    expect(await run()).toMatchObject({ status: 'no_match', source: 'none' });
  });

  it('a planner that throws gives status error with its code, and nothing to execute', async () => {
    const boom = new FixedPlanner('model', () => {
      throw new HestiaError('HESTIA_MODEL_UNAVAILABLE', 'the model file is gone');
    });
    const plan = await run(new FixedPlanner('fast', noMatch), boom);
    expect(plan).toMatchObject({ status: 'error', source: 'model', actions: [], error: { code: 'HESTIA_MODEL_UNAVAILABLE' } });
    expect(plan.error?.message).toMatch(/the model file is gone/);

    const rejects = new FixedPlanner('fast', () => Promise.reject(new TypeError('cannot read x of undefined')));
    expect(await run(rejects)).toMatchObject({ status: 'error', source: 'fast', error: { code: 'HESTIA_INTERNAL' } });
  });
});

describe('checks', () => {
  it('a plan that fits the home is ok and keeps the planner\'s actions and speech', async () => {
    const actions = [act('light', 'turn_on', ['light.kitchen_ceiling'], { brightness_pct: 30, color_temp_kelvin: 3000 })];
    expect(await run(new FixedPlanner('fast', ok(actions, 'Kitchen light at 30 percent.')))).toMatchObject({
      status: 'ok', source: 'fast', actions, speech: 'Kitchen light at 30 percent.',
    });
  });

  it('hands on whole numbers where the planner\'s arithmetic left float noise', async () => {
    const noisy = [act('cover', 'set_cover_position', ['cover.living_room_blinds'], { position: 30.000000004 }), act('light', 'turn_on', ['light.sofa_lamp'], { brightness_pct: 0.1 + 0.2 })];
    const plan = await run(new FixedPlanner('fast', ok(noisy)));
    expect(plan.status).toBe('ok');
    expect(plan.actions.map((a) => a.data)).toEqual([{ position: 30 }, { brightness_pct: 0.1 + 0.2 }]);
  });

  it('a question passes through as ok with its query ids', async () => {
    const plan = await run(new FixedPlanner('fast', ok([], 'The front door is locked.', ['lock.front_door'])));
    expect(plan).toMatchObject({ status: 'ok', actions: [], query_entity_ids: ['lock.front_door'], speech: 'The front door is locked.' });
  });

  it('a proposal that breaks the plan schema is rejected with HESTIA_PLAN_INVALID and no actions', async () => {
    const broken = { status: 'ok', actions: [{ domain: 'light', service: 'turn_on', entity_ids: [], data: {} }], query_entity_ids: [], speech: '' } as unknown as Proposal;
    const plan = await run(new FixedPlanner('model', broken));
    expect(plan).toMatchObject({ status: 'rejected', source: 'model', actions: [], error: { code: 'HESTIA_PLAN_INVALID' } });
    expect(plan.error?.message).toMatch(/\/actions\/0\/entity_ids/);

    const extra = { ...ok([act('light', 'turn_on', ['light.porch'])]), actions: [{ ...act('light', 'turn_on', ['light.porch']), area: 'porch' }] } as unknown as Proposal;
    expect(await run(new FixedPlanner('model', extra))).toMatchObject({ status: 'rejected', error: { code: 'HESTIA_PLAN_INVALID' } });
  });

  it('a planner that answers nothing or an unknown status is rejected, not trusted', async () => {
    expect(await run(new FixedPlanner('model', null as unknown as Proposal))).toMatchObject({ status: 'rejected', error: { code: 'HESTIA_PLAN_INVALID' } });
    const odd = { ...ok([act('light', 'turn_on', ['light.porch'])]), status: 'sure' } as unknown as Proposal;
    expect(await run(new FixedPlanner('model', odd))).toMatchObject({ status: 'rejected', actions: [], error: { code: 'HESTIA_PLAN_INVALID' } });
  });

  it('an unknown entity is rejected with HESTIA_UNKNOWN_ENTITY and speech saying why', async () => {
    const plan = await run(new FixedPlanner('model', ok([act('light', 'turn_on', ['light.jacuzzi'])])));
    expect(plan).toMatchObject({ status: 'rejected', source: 'model', error: { code: 'HESTIA_UNKNOWN_ENTITY' } });
    expect(plan.speech).toBe("I can't do that: there is no jacuzzi in this home.");
    expect(plan.error?.message).toMatch(/light\.jacuzzi/);
  });

  it('a wrong service and out-of-range data are rejected with their codes', async () => {
    expect(await run(new FixedPlanner('fast', ok([act('lock', 'turn_on', ['lock.front_door'])])))).toMatchObject({
      status: 'rejected', error: { code: 'HESTIA_BAD_SERVICE' },
    });
    const hot = await run(new FixedPlanner('fast', ok([act('climate', 'set_temperature', ['climate.thermostat'], { temperature: 35 })])));
    expect(hot).toMatchObject({ status: 'rejected', error: { code: 'HESTIA_BAD_DATA' } });
    expect(hot.speech).toBe("I can't do that: the temperature of Thermostat only goes up to 30.");
  });

  it('a query about an entity the home lacks is rejected', async () => {
    expect(await run(new FixedPlanner('fast', ok([], 'It is on.', ['light.attic'])))).toMatchObject({
      status: 'rejected', error: { code: 'HESTIA_UNKNOWN_ENTITY' },
    });
  });

  it('a sensitive action needs a confirmation: the question is the speech', async () => {
    const actions = [act('lock', 'unlock', ['lock.front_door'])];
    const plan = await run(new FixedPlanner('fast', ok(actions, 'Unlocking Front Door.')));
    expect(plan).toMatchObject({
      status: 'needs_confirmation',
      actions,
      speech: 'Unlock the Front Door?',
      confirmation: { question: 'Unlock the Front Door?' },
    });
    expect(await run(new FixedPlanner('fast', ok([act('cover', 'open_cover', ['cover.garage_door'])])))).toMatchObject({ status: 'needs_confirmation' });
    expect(await run(new FixedPlanner('fast', ok([act('cover', 'close_cover', ['cover.garage_door'])])))).toMatchObject({ status: 'ok' });
  });

  it('catalog problems come before the sensitivity question', async () => {
    const plan = await run(new FixedPlanner('fast', ok([act('lock', 'unlock', ['lock.front_door', 'lock.shed'])])));
    expect(plan).toMatchObject({ status: 'rejected', error: { code: 'HESTIA_UNKNOWN_ENTITY' } });
    expect(plan.confirmation).toBeUndefined();
  });
});

describe('timings and logs', () => {
  it('reports understand and check milliseconds rounded to 0.01', async () => {
    const ticks = [10, 12.34567, 13.00001];
    const deps: PipelineDeps = {
      catalog,
      planners: [new FixedPlanner('fast', ok([act('switch', 'turn_on', ['switch.kettle'])]))],
      now: () => ticks.shift() ?? 20,
    };
    const plan = await planRequest(input, deps);
    expect(plan.timings_ms).toEqual({ understand: 2.35, check: 0.65 });
    expect((await planRequest(input, { catalog, planners: [] })).timings_ms).toEqual({ understand: expect.any(Number), check: 0 });
  });

  it('tells the log when a planner fails', async () => {
    const warnings: unknown[] = [];
    const log = { warn: (obj: unknown) => void warnings.push(obj), debug: () => undefined } as unknown as PipelineDeps['log'];
    const boom = new FixedPlanner('fast', () => {
      throw new Error('index corrupted');
    });
    await planRequest(input, { catalog, planners: [boom], log });
    expect(warnings).toMatchObject([{ request_id: 'r1', planner: 'fast' }]);
  });
});
