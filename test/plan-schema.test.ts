// The plan schema is the one source of the plan format: the generated type must match it, and the
// schema check must accept real plans and point at what is wrong in broken ones.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkPlanSchema, describeSchemaProblems, planSchemaPath } from '../src/checks/schema-check.js';
import { renderPlanTypes } from '../src/plan/generate-types.js';

const root = new URL('../', import.meta.url);

const valid = {
  id: 'r1',
  status: 'ok',
  source: 'fast',
  actions: [{ domain: 'light', service: 'turn_on', entity_ids: ['light.kitchen'], data: { brightness_pct: 30, rgb_color: [255, 0, 10] } }],
  query_entity_ids: [],
  speech: 'Kitchen light at 30 percent.',
  timings_ms: { understand: 1.2, check: 0.3 },
};

function paths(plan: unknown): string[] {
  return checkPlanSchema(plan).map((p) => p.path);
}

describe('the generated plan type', () => {
  it('is up to date with grammars/plan.schema.json (run `npm run gen:types` when this fails)', async () => {
    const schemaPath = fileURLToPath(new URL('grammars/plan.schema.json', root));
    const expected = await renderPlanTypes(schemaPath);
    const actual = await readFile(new URL('src/plan/plan.generated.ts', root), 'utf8');
    expect(actual).toBe(expected);
  });
});

describe('the schema check', () => {
  it('finds the schema file of this package', () => {
    expect(planSchemaPath()).toBe(fileURLToPath(new URL('grammars/plan.schema.json', root)));
  });

  it('accepts a plan in the documented format, with an error or a confirmation', () => {
    expect(checkPlanSchema(valid)).toEqual([]);
    expect(checkPlanSchema({ ...valid, status: 'rejected', error: { code: 'HESTIA_BAD_DATA', message: 'too bright' } })).toEqual([]);
    expect(checkPlanSchema({ ...valid, status: 'needs_confirmation', confirmation: { question: 'Unlock the Front Door?' } })).toEqual([]);
  });

  it('reports each problem with the path of the offending value', () => {
    expect(paths({ ...valid, status: 'maybe' })).toEqual(['/status']);
    expect(paths({ ...valid, actions: [{ ...valid.actions[0], entity_ids: [] }] })).toEqual(['/actions/0/entity_ids']);
    expect(paths({ ...valid, actions: [{ ...valid.actions[0], entity_ids: ['Kitchen Light'] }] })).toEqual(['/actions/0/entity_ids/0']);
    expect(paths({ ...valid, actions: [{ ...valid.actions[0], data: { rgb_color: ['red'] } }] })).toEqual(['/actions/0/data/rgb_color/0']);
    expect(paths({ ...valid, query_entity_ids: ['sensor.ok', 'no dot'] })).toEqual(['/query_entity_ids/1']);
    expect(paths({ ...valid, error: { code: 'oops', message: 'x' } })).toEqual(['/error/code']);
  });

  it('rejects missing and unknown properties, naming them', () => {
    const { speech: _speech, ...noSpeech } = valid;
    const missing = checkPlanSchema(noSpeech);
    expect(missing).toHaveLength(1);
    expect(missing[0]?.message).toMatch(/speech/);

    const extra = checkPlanSchema({ ...valid, actions: [{ ...valid.actions[0], target: 'kitchen' }] });
    expect(extra).toEqual([{ path: '/actions/0', message: 'has unknown property target' }]);
    expect(describeSchemaProblems(extra)).toBe('/actions/0 has unknown property target');
  });

  it('rejects values that are not plans at all', () => {
    expect(checkPlanSchema(null)).not.toEqual([]);
    expect(checkPlanSchema('turn on the light')).not.toEqual([]);
    expect(paths({ ...valid, actions: 'light.turn_on' })).toEqual(['/actions']);
  });
});
