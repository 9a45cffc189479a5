// The model's grammar as text, without a model: numeric ranges accept exactly the numbers inside
// their limits, and the plan grammar offers only real services, exposed entities of the right
// domain and values within each entity's limits. (test/model-planner.test.ts compiles and runs it.)
import { describe, expect, it } from 'vitest';
import { catalogFromSnapshot } from '../src/catalog/snapshot.js';
import { buildPlanGrammar } from '../src/model/grammar/plan-grammar.js';
import { gbnfNumberRange, gbnfUnsignedRange } from '../src/model/grammar/number-range.js';
import { readModelOutput } from '../src/model/model-output.js';
import { systemPrompt, userPrompt } from '../src/model/prompt/plan-prompt.js';
import { demoHomeFile } from '../src/config/package-root.js';
import type { HomeSnapshot } from '../src/catalog/types.js';
import { readFile } from 'node:fs/promises';

/** A GBNF alternation of literals, classes and counted repeats, as a JS regular expression. */
function toRegExp(gbnf: string): RegExp {
  const body = gbnf
    .replace(/"([^"]*)"/g, (_, lit: string) => lit.replace(/[.\-+*?^$()[\]{}|\\]/g, '\\$&'))
    .replace(/ /g, '');
  return new RegExp(`^(?:${body})$`);
}

describe('number ranges', () => {
  it('accept exactly the whole numbers inside the range, with no leading zeros', () => {
    const ranges: Array<[number, number]> = [[0, 100], [0, 255], [1, 100], [7, 35], [2000, 6500], [0, 0], [5, 5], [99, 101], [153, 6535]];
    for (const [lo, hi] of ranges) {
      const re = toRegExp(gbnfUnsignedRange(lo, hi));
      for (let n = 0; n <= 7000; n += 1) expect(re.test(String(n)), `${n} in ${lo}..${hi}`).toBe(n >= lo && n <= hi);
      for (const s of ['01', '007', '-1', '', '1.5']) expect(re.test(s), `${s} in ${lo}..${hi}`).toBe(false);
    }
  });

  it('take decimals below the top, only zeros at the top, and negative ranges', () => {
    const temp = toRegExp(gbnfNumberRange({ min: 7, max: 35, decimals: 1 }));
    for (const ok of ['7', '7.5', '21', '34.9', '35', '35.0']) expect(temp.test(ok), ok).toBe(true);
    for (const bad of ['6.9', '35.5', '36', '21.55', '-7', '90']) expect(temp.test(bad), bad).toBe(false);
    const volume = toRegExp(gbnfNumberRange({ min: 0, max: 1, decimals: 2 }));
    for (const ok of ['0', '0.4', '0.25', '1', '1.0']) expect(volume.test(ok), ok).toBe(true);
    for (const bad of ['1.5', '0.255', '2', '40']) expect(volume.test(bad), bad).toBe(false);
    const step = toRegExp(gbnfNumberRange({ min: -100, max: 100, decimals: 0 }));
    for (const ok of ['-100', '-25', '0', '100']) expect(step.test(ok), ok).toBe(true);
    for (const bad of ['-0', '-101', '101', '--5']) expect(step.test(bad), bad).toBe(false);
    // Bounds that are not whole numbers are rounded inwards: stricter than the check, never looser.
    const odd = toRegExp(gbnfNumberRange({ min: 15.5, max: 29.5, decimals: 1 }));
    expect(odd.test('15')).toBe(false);
    expect(odd.test('29.9')).toBe(false);
    expect(odd.test('16')).toBe(true);
  });
});

const home = catalogFromSnapshot({
  areas: [{ area_id: 'den', name: 'Den' }],
  entities: [
    { entity_id: 'light.den_lamp', name: 'Den Lamp', area_id: 'den', attributes: { supported_color_modes: ['brightness'] } },
    { entity_id: 'light.den_strip', name: 'Den Strip', area_id: 'den', attributes: { supported_color_modes: ['hs', 'color_temp'], min_color_temp_kelvin: 2200, max_color_temp_kelvin: 6500 } },
    { entity_id: 'light.hidden_lamp', name: 'Hidden Lamp', exposed: false },
    { entity_id: 'climate.den', name: 'Den Heating', area_id: 'den', attributes: { min_temp: 10, max_temp: 28, hvac_modes: ['off', 'heat'] } },
    { entity_id: 'media_player.den_tv', name: 'Den TV', area_id: 'den', attributes: { source_list: ['HDMI 1', 'Netflix'] } },
    { entity_id: 'sensor.den_temperature', name: 'Den Temperature', area_id: 'den', device_class: 'temperature', state: '20.5', attributes: { unit_of_measurement: '°C' } },
    { entity_id: 'lock.den_door', name: 'Den Door', area_id: 'den' },
  ],
});
const everything = [...home.entities()].map((e) => e.entity_id);

/** The body of one rule, by name. */
function rule(grammar: string, name: string): string {
  const line = grammar.split('\n').find((l) => l.startsWith(`${name} ::= `));
  return line?.slice(name.length + 5) ?? '';
}

describe('the plan grammar', () => {
  const grammar = buildPlanGrammar(home, everything);

  it('never offers an unexposed or unknown entity, even when asked to', () => {
    const asked = buildPlanGrammar(home, [...everything, 'light.not_in_this_home']);
    expect(asked).not.toContain('light.hidden_lamp');
    expect(asked).not.toContain('light.not_in_this_home');
    expect(asked).toContain('\\"light.den_lamp\\"');
  });

  it('pairs each service with entities of its own domain, and offers sensors only to questions', () => {
    const actionLines = grammar.split('\n').filter((l) => /^a\d+ ::= /.test(l));
    expect(actionLines.length).toBeGreaterThan(10);
    for (const line of actionLines) {
      const domain = /"\[" "\\"([a-z_]+)\./.exec(line)?.[1];
      expect(domain, line).toBeDefined();
    }
    // Every id literal reachable from an action of domain D starts with D: check through the id rules.
    for (const line of actionLines) {
      const domain = /"\[" "\\"([a-z_]+)\./.exec(line)?.[1] as string;
      const seen = new Set<string>();
      const visit = (name: string): void => {
        if (seen.has(name)) return;
        seen.add(name);
        const body = rule(grammar, name);
        for (const id of body.matchAll(/"," "\\"([a-z_]+)\.[a-z0-9_]+\\""/g)) expect(id[1], `${line} -> ${body}`).toBe(domain);
        for (const ref of body.matchAll(/\b(e\d+)\b/g)) visit(ref[1] as string);
      };
      for (const ref of line.matchAll(/\b(e\d+)\b/g)) visit(ref[1] as string);
      expect(seen.size, line).toBeGreaterThan(0);
    }
    expect(actionLines.some((l) => l.includes('sensor.'))).toBe(false);
    expect(rule(grammar, 'query-id')).toContain('sensor.den_temperature');
  });

  it('gives each entity its own limits: the heating 10-28, colour only on the colour strip, sources from the list', () => {
    const climate = grammar.split('\n').find((l) => l.includes('climate.set_temperature')) ?? '';
    expect(climate).not.toBe('');
    const tempField = grammar.split('\n').find((l) => l.includes('\\"temperature\\"')) ?? '';
    const range = /\((.*)\)\s*$/.exec(tempField)?.[1] ?? '';
    expect(range).toContain('"28"');
    const re = toRegExp(range.replace(/\("\." \[0-9\]\)\?/g, '').replace(/\("\." "0"\)\?/g, ''));
    expect(re.test('10')).toBe(true);
    expect(re.test('28')).toBe(true);
    expect(re.test('9')).toBe(false);
    expect(re.test('29')).toBe(false);

    // The white-only lamp and the colour strip take light.turn_on in different groups; only the
    // strip's reaches colour names and kelvin 2200-6500.
    const turnOn = grammar.split('\n').filter((l) => l.includes('"\\"light.turn_on\\""'));
    expect(turnOn).toHaveLength(2);
    expect(grammar).toContain('colour-name ::= ');
    expect(rule(grammar, 'colour-name')).toContain('"\\"red\\""');
    expect(grammar).toContain('"\\"HDMI 1\\""');
    expect(grammar).toContain('"\\"Netflix\\""');
    // Codes and PINs never come from the model.
    expect(grammar).not.toContain('\\"code\\"');
  });

  it('offers questions but no actions when only sensors are offered, and only a refusal when nothing is', () => {
    const sensorsOnly = buildPlanGrammar(home, ['sensor.den_temperature']);
    expect(sensorsOnly).toContain('( ask | refuse )');
    expect(sensorsOnly).not.toMatch(/^action ::=/m);
    const nothing = buildPlanGrammar(home, []);
    expect(nothing).toContain('( refuse )');
    expect(nothing).not.toMatch(/^query-id ::=/m);
  });

  it('starts with a bounded think block when a thought budget is set', () => {
    const thinking = buildPlanGrammar(home, everything, { thoughtBudget: 64, thinkTokens: { open: 151648, close: 151649 } });
    expect(thinking.split('\n')[0]).toBe('root ::= <[151648]> (!<[151649]>){0,64} <[151649]> [ \\n]{0,3} plan');
    expect(grammar.split('\n')[0]).toBe('root ::= plan');
  });
});

describe("reading the model's answer", () => {
  it('turns "do" into actions with speech, splitting domain and service, dropping repeated ids', () => {
    const p = readModelOutput('{"do":[["light.turn_on","light.den_lamp","light.den_lamp",{"brightness_pct":30}],["lock.lock","lock.den_door"]]}', home);
    expect(p.status).toBe('ok');
    expect(p.actions).toEqual([
      { domain: 'light', service: 'turn_on', entity_ids: ['light.den_lamp'], data: { brightness_pct: 30 } },
      { domain: 'lock', service: 'lock', entity_ids: ['lock.den_door'], data: {} },
    ]);
    expect(p.speech).toContain('Den Lamp');
  });

  it('turns "ask" into a question that can never act, answered from the catalog', () => {
    const p = readModelOutput('{"ask":["sensor.den_temperature"]}', home);
    expect(p).toMatchObject({ status: 'ok', actions: [], query_entity_ids: ['sensor.den_temperature'] });
    expect(p.speech).toContain('20.5');
  });

  it('turns "no" into no_match with the reason, and refuses anything else as HESTIA_PLAN_INVALID', () => {
    expect(readModelOutput('{"no":"no such device"}', home)).toMatchObject({ status: 'no_match', actions: [], speech: "Sorry, I can't do that: no such device." });
    for (const bad of ['{"do":[["light.turn_on"]]}', '{"do":[]}', '{"do":[["light.turn_on",["light.den_lamp"]]]}', '[1]', '{"do":[["turn_on","light.den_lamp"]]}', '{"maybe":1}', '{"do":[["light.turn_on","light.den_lamp"]', '']) {
      expect(() => readModelOutput(bad, home), bad).toThrow(expect.objectContaining({ code: 'HESTIA_PLAN_INVALID' }) as Error);
    }
  });
});

describe('the prompt', () => {
  it('lists every alias in the cached home, and in the per-request candidates only the aliases the request uses', async () => {
    const demo = JSON.parse(await readFile(demoHomeFile(), 'utf8')) as HomeSnapshot;
    const catalog = catalogFromSnapshot(demo);
    const tv = catalog.entity('media_player.living_room_tv');
    expect(tv?.aliases.length).toBeGreaterThan(1);
    const [first, second] = tv?.aliases ?? [];
    const whole = systemPrompt(catalog, [...catalog.entities()]);
    for (const alias of tv?.aliases ?? []) expect(whole).toContain(`"${alias}"`);
    const user = userPrompt({ text: `turn the ${String(second)} up`, area_id: 'living_room' }, catalog, tv ? [tv] : []);
    expect(user).toContain(`"${String(second)}"`);
    expect(user).not.toContain(`"${String(first)}"`);
    const plain = userPrompt({ text: 'make it cosy for a film', area_id: 'living_room' }, catalog, tv ? [tv] : []);
    expect(plain).toContain('media_player.living_room_tv');
    expect(plain).not.toContain(' aka ');
  });
});
