// The evaluation set itself: every case parses, names only real, exposed entities and existing
// services of its home, and the set keeps the size and spread the figures rely on.
import { describe, expect, it } from 'vitest';
import { loadSnapshotFile } from '../src/catalog/snapshot.js';
import type { Catalog } from '../src/catalog/catalog.js';
import { FAMILIES, HOME_NAMES, homeFile, loadCases, parseCaseLines, type EvalCase, type HomeName } from './eval/cases.js';
import { validateCase, validateCases } from './eval/validate-case.js';

const { cases, problems } = await loadCases();
const catalogs = new Map<HomeName, Catalog>();
for (const home of HOME_NAMES) catalogs.set(home, await loadSnapshotFile(homeFile(home)));
const townhouse = catalogs.get('townhouse') as Catalog;

function count(pred: (c: EvalCase) => boolean): number {
  return cases.filter(pred).length;
}

describe('evaluation case files', () => {
  it('parse, line by line, into cases of a known home and family', () => {
    expect(problems).toEqual([]);
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      expect(HOME_NAMES).toContain(c.home);
      expect(FAMILIES).toContain(c.family);
    }
  });

  it('use every id once', () => {
    const ids = cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('name only existing, exposed entities, existing services and values within limits', () => {
    expect(validateCases(cases, catalogs)).toEqual([]);
    for (const c of cases) {
      const catalog = catalogs.get(c.home) as Catalog;
      for (const a of c.expect.actions) {
        expect(catalog.service(a.domain, a.service), `${c.id} ${a.domain}.${a.service}`).toBeDefined();
        for (const id of a.entity_ids) expect(catalog.entity(id)?.exposed, `${c.id} ${id}`).toBe(true);
      }
      for (const id of c.expect.query_entity_ids) expect(catalog.entity(id)?.exposed, `${c.id} ${id}`).toBe(true);
    }
  });

  it('keep the size and spread of the set', () => {
    expect(count((c) => c.home === 'demo')).toBeGreaterThanOrEqual(170);
    expect(count((c) => c.home === 'townhouse')).toBeGreaterThanOrEqual(160);
    for (const family of FAMILIES) expect(count((c) => c.family === family), family).toBeGreaterThanOrEqual(10);
    expect(count((c) => c.expect.status === 'no_match')).toBeGreaterThanOrEqual(40);
    expect(count((c) => c.expect.status === 'needs_confirmation')).toBeGreaterThan(0);
    expect(count((c) => c.area_id !== undefined)).toBeGreaterThanOrEqual(10);
  });
});

describe('the townhouse home', () => {
  const entities = [...townhouse.entities()];

  it('is a large home over four floors with every domain the set exercises', () => {
    expect(entities.length).toBeGreaterThanOrEqual(110);
    expect([...townhouse.floors()].map((f) => f.floor_id).sort()).toEqual(['attic', 'basement', 'first', 'ground']);
    expect([...townhouse.areas()].length).toBeGreaterThanOrEqual(15);
    const domains = new Set(entities.map((e) => e.domain));
    for (const d of ['light', 'switch', 'fan', 'cover', 'climate', 'media_player', 'lock', 'vacuum', 'valve', 'scene',
      'script', 'alarm_control_panel', 'input_boolean', 'button', 'sensor', 'binary_sensor']) {
      expect(domains, d).toContain(d);
    }
    expect(entities.some((e) => !e.exposed)).toBe(true);
  });

  it('has names that only their area tells apart', () => {
    const ceilings = entities.filter((e) => e.domain === 'light' && e.name === 'Ceiling');
    expect(new Set(ceilings.map((e) => e.area_id)).size).toBeGreaterThanOrEqual(4);
    expect(entities.filter((e) => e.name === 'Desk Lamp').length).toBe(2);
  });
});

describe('case validation', () => {
  const demo = catalogs.get('demo') as Catalog;
  function problemsOf(expectJson: string, extra = ''): string[] {
    const line = `{"id":"x1","home":"demo","family":"onoff","text":"something"${extra},"expect":${expectJson}}`;
    const parsed = parseCaseLines(line, 'inline.jsonl');
    expect(parsed.problems).toEqual([]);
    return validateCase(parsed.cases[0] as EvalCase, demo);
  }
  const act = (domain: string, service: string, ids: string[], data = {}): string =>
    `{"status":"ok","actions":[${JSON.stringify({ domain, service, entity_ids: ids, data })}],"query_entity_ids":[]}`;

  it('accepts a sound case', () => {
    expect(problemsOf(act('light', 'turn_on', ['light.sofa_lamp'], { brightness_pct: 40 }))).toEqual([]);
  });

  it('rejects unknown entities, wrong domains and missing services', () => {
    expect(problemsOf(act('light', 'turn_on', ['light.jacuzzi']))).toEqual(['unknown entity light.jacuzzi']);
    expect(problemsOf(act('light', 'turn_on', ['switch.kettle']))).toEqual(['entity switch.kettle is not in domain light']);
    expect(problemsOf(act('light', 'explode', ['light.sofa_lamp']))).toEqual(['no service light.explode']);
  });

  it('rejects values outside the entity limits and things a light cannot do', () => {
    expect(problemsOf(act('climate', 'set_temperature', ['climate.thermostat'], { temperature: 35 }))).toEqual([
      'temperature=35 is above 30 for climate.thermostat',
      // ...and above the policy's 28 °C, so it would have to expect a confirmation too.
      'a sensitive action expects needs_confirmation',
    ]);
    expect(problemsOf(act('climate', 'set_temperature', ['climate.thermostat'], { temperature: 29 }))).toEqual(['a sensitive action expects needs_confirmation']);
    expect(problemsOf(act('climate', 'set_temperature', ['climate.thermostat'], { temperature: 21 }))).toEqual([]);
    expect(problemsOf(act('climate', 'set_hvac_mode', ['climate.bedroom_ac'], { hvac_mode: 'heat' }))[0]).toMatch(/hvac_modes/);
    expect(problemsOf(act('light', 'turn_on', ['light.desk_lamp'], { color_name: 'blue' }))[0]).toMatch(/cannot show a colour/);
    expect(problemsOf(act('light', 'turn_on', ['light.porch'], { brightness_pct: 10 }))[0]).toMatch(/cannot be dimmed/);
  });

  it('insists that sensitive actions expect a confirmation and refusals act on nothing', () => {
    expect(problemsOf(act('lock', 'unlock', ['lock.front_door']))).toEqual(['a sensitive action expects needs_confirmation']);
    expect(problemsOf('{"status":"no_match","actions":[],"query_entity_ids":["lock.front_door"]}')).toContain(
      'a no_match expectation lists actions or query ids',
    );
  });

  it('rejects an unknown speaker area and reports lines that are not cases', () => {
    expect(problemsOf(act('light', 'turn_on', ['light.sofa_lamp']), ',"area_id":"attic"')).toEqual(['unknown speaker area attic']);
    const broken = parseCaseLines('{"id":"x2","home":"castle","family":"onoff","text":"hi","expect":{}}\nnot json', 'b.jsonl');
    expect(broken.cases).toEqual([]);
    expect(broken.problems).toHaveLength(2);
    expect(broken.problems[1]).toMatch(/^b\.jsonl:2: not valid JSON/);
  });
});
