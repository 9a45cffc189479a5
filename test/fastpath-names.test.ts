// Names the way people really give them: the same short name in several rooms ("Ceiling"),
// numbered devices, one word of a longer name, and a home in Fahrenheit.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../src/catalog/catalog.js';
import { loadSnapshotFile } from '../src/catalog/snapshot.js';
import { FastPathPlanner } from '../src/understanding/fastpath/fast-path-planner.js';

let catalog: Catalog;
const planner = new FastPathPlanner();
beforeAll(async () => {
  catalog = await loadSnapshotFile(fileURLToPath(new URL('./fixtures/apartment.json', import.meta.url)));
});

function targets(text: string, area?: string): string[] | 'no_match' {
  const r = planner.plan({ id: 't', text, area_id: area ?? null }, catalog);
  return r.status === 'no_match' ? 'no_match' : r.actions.flatMap((a) => a.entity_ids.map((id) => `${a.service} ${id}`)).sort();
}

describe('names shared between rooms', () => {
  it('needs a room to pick one of several "Ceiling" lights', () => {
    expect(targets('turn on the ceiling')).toBe('no_match');
    expect(targets('turn on the ceiling light in the kitchen')).toEqual(['turn_on light.kitchen_ceiling']);
    expect(targets('turn on the ceiling', 'lounge')).toEqual(['turn_on light.lounge_ceiling']);
  });
  it('reads room aliases and numbers as words', () => {
    expect(targets('switch on the ceiling light in bedroom two')).toEqual(['turn_on light.bedroom_2_ceiling']);
    expect(targets('spare room ceiling on')).toEqual(['turn_on light.bedroom_2_ceiling']);
  });
  it('says which room when names repeat', () => {
    const r = planner.plan({ id: 's', text: 'turn off the lights upstairs' }, catalog);
    expect(r.speech).toContain('Bedroom 2 Ceiling');
  });
});

describe('numbered devices and words of names', () => {
  it('finds a numbered device and refuses one that does not exist', () => {
    expect(targets('turn on spot one')).toEqual(['turn_on light.kitchen_spot_1']);
    expect(targets('turn on spot 3')).toBe('no_match');
  });
  it('takes every device a plural word names, and refuses a singular one that is ambiguous', () => {
    expect(targets('kitchen spots on')).toEqual(['turn_on light.kitchen_spot_1', 'turn_on light.kitchen_spot_2']);
    expect(targets('turn on the spot', 'kitchen')).toBe('no_match');
    expect(targets('turn off the monitor')).toEqual(['turn_off switch.study_monitor']);
  });
  it('never reaches an unexposed device', () => {
    expect(targets('turn off the server')).toBe('no_match');
  });
});

describe('device choices and units', () => {
  it('sets a fan preset named in the catalog', () => {
    const r = planner.plan({ id: 'p', text: 'set the fan to sleep mode', area_id: 'lounge' }, catalog);
    expect(r.actions).toEqual([{ domain: 'fan', service: 'set_preset_mode', entity_ids: ['fan.lounge'], data: { preset_mode: 'sleep' } }]);
  });
  it('keeps temperatures inside a Fahrenheit thermostat\'s limits', () => {
    expect(targets('set the heat pump to 72')).toEqual(['set_temperature climate.heat_pump']);
    expect(targets('set the heat pump to 20')).toBe('no_match');
  });
});
