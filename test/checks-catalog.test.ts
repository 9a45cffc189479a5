// The catalog check: plans that fit the home pass untouched; anything that names a device the home
// does not have or expose, a service its domain lacks, or data outside what the service and the
// device allow is refused with a coded, human-readable problem.
import { describe, expect, it } from 'vitest';
import { checkCatalog, type CheckProblem } from '../src/checks/catalog-check.js';
import { CSS_COLOUR_NAMES, isCssColourName } from '../src/checks/css-colours.js';
import { catalogFromSnapshot } from '../src/catalog/snapshot.js';
import type { Action } from '../src/plan/types.js';

const home = catalogFromSnapshot({
  areas: [
    { area_id: 'lounge', name: 'Lounge' },
    { area_id: 'study', name: 'Study' },
    { area_id: 'garage', name: 'Garage' },
  ],
  entities: [
    { entity_id: 'light.lounge_lamp', name: 'Lounge Lamp', area_id: 'lounge', attributes: { supported_color_modes: ['color_temp', 'hs'], min_color_temp_kelvin: 2000, max_color_temp_kelvin: 6500 } },
    { entity_id: 'light.reading_lamp', name: 'Reading Lamp', area_id: 'lounge', attributes: { supported_color_modes: ['brightness'] } },
    { entity_id: 'light.study_ceiling', name: 'Ceiling', area_id: 'study', attributes: { supported_color_modes: ['color_temp'], min_color_temp_kelvin: 2700, max_color_temp_kelvin: 5000 } },
    { entity_id: 'light.garage_ceiling', name: 'Ceiling', area_id: 'garage', attributes: { supported_color_modes: ['onoff'] } },
    { entity_id: 'light.old_bulb', name: 'Old Bulb', area_id: 'study' },
    { entity_id: 'climate.heat_pump', name: 'Heat Pump', area_id: 'lounge', attributes: { min_temp: 10, max_temp: 28, hvac_modes: ['off', 'heat', 'cool'], fan_modes: ['low', 'high'] } },
    { entity_id: 'climate.radiator', name: 'Radiator', area_id: 'study', attributes: { min_temp: 5, max_temp: 24, hvac_modes: ['off', 'heat'] } },
    { entity_id: 'media_player.lounge_tv', name: 'Lounge TV', area_id: 'lounge', attributes: { source_list: ['HDMI 1', 'Netflix'] } },
    { entity_id: 'cover.lounge_blind', name: 'Lounge Blind', area_id: 'lounge', device_class: 'blind' },
    { entity_id: 'fan.study_fan', name: 'Study Fan', area_id: 'study', attributes: { preset_modes: ['breeze', 'sleep'] } },
    { entity_id: 'fan.plain_fan', name: 'Plain Fan', area_id: 'study' },
    { entity_id: 'switch.server_rack', name: 'Server Rack', area_id: 'study', exposed: false },
    { entity_id: 'switch.kettle', name: 'Kettle', area_id: 'lounge' },
    { entity_id: 'sensor.lounge_temperature', name: 'Lounge Temperature', area_id: 'lounge', state: '21.5' },
  ],
});

function act(domain: string, service: string, ids: string[], data: Action['data'] = {}): Action {
  return { domain, service, entity_ids: ids as Action['entity_ids'], data };
}

function problems(actions: Action[], queryIds: string[] = []): CheckProblem[] {
  return checkCatalog({ actions, query_entity_ids: queryIds }, home);
}

/** The codes, paths and (when given) a message pattern of a plan's problems. */
function only(actions: Action[], code: string, path: string, message?: RegExp): CheckProblem {
  const found = problems(actions);
  expect(found.map((p) => [p.code, p.path])).toEqual([[code, path]]);
  const p = found[0] as CheckProblem;
  if (message) expect(p.message).toMatch(message);
  return p;
}

describe('plans that fit the home', () => {
  it('pass with no problems', () => {
    expect(problems([
      act('light', 'turn_on', ['light.lounge_lamp'], { brightness_pct: 40, color_name: 'orange', transition: 2 }),
      act('light', 'turn_on', ['light.study_ceiling'], { color_temp_kelvin: 2700 }),
      act('light', 'turn_on', ['light.reading_lamp', 'light.lounge_lamp'], { brightness_pct: 100 }),
      act('light', 'turn_off', ['light.garage_ceiling', 'light.old_bulb']),
      act('climate', 'set_temperature', ['climate.heat_pump'], { temperature: 21.5 }),
      act('climate', 'set_hvac_mode', ['climate.heat_pump', 'climate.radiator'], { hvac_mode: 'heat' }),
      act('climate', 'set_fan_mode', ['climate.heat_pump'], { fan_mode: 'low' }),
      act('media_player', 'volume_set', ['media_player.lounge_tv'], { volume_level: 0.35 }),
      act('media_player', 'select_source', ['media_player.lounge_tv'], { source: 'Netflix' }),
      act('cover', 'set_cover_position', ['cover.lounge_blind'], { position: 0 }),
      act('fan', 'set_preset_mode', ['fan.study_fan'], { preset_mode: 'sleep' }),
      act('switch', 'toggle', ['switch.kettle']),
    ], ['sensor.lounge_temperature', 'switch.kettle'])).toEqual([]);
  });

  it('take colours by CSS name, spaces and case aside, and as [r, g, b]', () => {
    expect(problems([act('light', 'turn_on', ['light.lounge_lamp'], { color_name: 'Light Sea Green' })])).toEqual([]);
    expect(problems([act('light', 'turn_on', ['light.lounge_lamp'], { rgb_color: [255, 128, 0] })])).toEqual([]);
    expect(CSS_COLOUR_NAMES.size).toBe(148);
    expect(isCssColourName('rebeccapurple')).toBe(true);
    expect(isCssColourName('sunset')).toBe(false);
  });
});

describe('entities', () => {
  it('refuses an entity the home does not have', () => {
    const p = only([act('light', 'turn_on', ['light.jacuzzi'])], 'HESTIA_UNKNOWN_ENTITY', '/actions/0/entity_ids/0', /light\.jacuzzi/);
    expect(p.entity_id).toBe('light.jacuzzi');
    expect(p.say).toBe('there is no jacuzzi in this home');
  });

  it('refuses an entity that is not exposed, in actions and in questions', () => {
    only([act('switch', 'turn_off', ['switch.kettle', 'switch.server_rack'])], 'HESTIA_UNKNOWN_ENTITY', '/actions/0/entity_ids/1', /switch\.server_rack is not exposed/);
    const q = problems([], ['sensor.lounge_temperature', 'switch.server_rack', 'sensor.attic']);
    expect(q.map((p) => [p.code, p.path, p.entity_id])).toEqual([
      ['HESTIA_UNKNOWN_ENTITY', '/query_entity_ids/1', 'switch.server_rack'],
      ['HESTIA_UNKNOWN_ENTITY', '/query_entity_ids/2', 'sensor.attic'],
    ]);
  });
});

describe('services', () => {
  it('refuses an entity of another domain than the action', () => {
    const p = only([act('light', 'turn_on', ['switch.kettle'])], 'HESTIA_BAD_SERVICE', '/actions/0/entity_ids/0', /switch\.kettle is a switch/);
    expect(p.say).toBe('Kettle is not a light');
  });

  it('refuses a service the domain does not have', () => {
    const p = only([act('light', 'explode', ['light.reading_lamp'])], 'HESTIA_BAD_SERVICE', '/actions/0/service', /light\.explode/);
    expect(p.say).toBe('I have no way to explode a light');
    only([act('sensor', 'turn_on', ['sensor.lounge_temperature'])], 'HESTIA_BAD_SERVICE', '/actions/0/service');
  });
});

describe('data fields', () => {
  it('refuses a field the service does not take', () => {
    only([act('switch', 'turn_on', ['switch.kettle'], { temperature: 90 })], 'HESTIA_BAD_DATA', '/actions/0/data/temperature', /switch\.turn_on takes no field temperature/);
    only([act('light', 'turn_on', ['light.reading_lamp'], { brightness_percent: 20 })], 'HESTIA_BAD_DATA', '/actions/0/data/brightness_percent');
  });

  it('refuses a plan that leaves out a required field', () => {
    only([act('climate', 'set_temperature', ['climate.heat_pump'])], 'HESTIA_BAD_DATA', '/actions/0/data', /needs temperature/);
    only([act('cover', 'set_cover_position', ['cover.lounge_blind'])], 'HESTIA_BAD_DATA', '/actions/0/data', /needs position/);
  });

  it('refuses values of the wrong type', () => {
    only([act('light', 'turn_on', ['light.reading_lamp'], { brightness_pct: 'half' })], 'HESTIA_BAD_DATA', '/actions/0/data/brightness_pct', /not a number/);
    only([act('cover', 'set_cover_position', ['cover.lounge_blind'], { position: 33.3 })], 'HESTIA_BAD_DATA', '/actions/0/data/position', /whole number/);
    only([act('media_player', 'volume_mute', ['media_player.lounge_tv'], { is_volume_muted: 'yes' })], 'HESTIA_BAD_DATA', '/actions/0/data/is_volume_muted');
  });

  it('refuses brightness, volume and position outside their ranges', () => {
    const p = only([act('light', 'turn_on', ['light.reading_lamp'], { brightness_pct: 150 })], 'HESTIA_BAD_DATA', '/actions/0/data/brightness_pct', /brightness_pct=150 is above the maximum 100/);
    expect(p.say).toBe('the brightness of Reading Lamp only goes up to 100');
    only([act('light', 'turn_on', ['light.reading_lamp'], { brightness_pct: -5 })], 'HESTIA_BAD_DATA', '/actions/0/data/brightness_pct', /below the minimum 0/);
    only([act('media_player', 'volume_set', ['media_player.lounge_tv'], { volume_level: 40 })], 'HESTIA_BAD_DATA', '/actions/0/data/volume_level', /above the maximum 1\b/);
    only([act('cover', 'set_cover_position', ['cover.lounge_blind'], { position: 101 })], 'HESTIA_BAD_DATA', '/actions/0/data/position', /above the maximum 100/);
  });

  it('forgives float noise around whole numbers but not real fractions', () => {
    expect(problems([
      act('light', 'turn_on', ['light.reading_lamp'], { brightness_pct: 100.00000001 }),
      act('cover', 'set_cover_position', ['cover.lounge_blind'], { position: 49.9999999 }),
      act('light', 'turn_on', ['light.lounge_lamp'], { rgb_color: [255.0000001, 0, 0] }),
    ])).toEqual([]);
    only([act('light', 'turn_on', ['light.reading_lamp'], { brightness_pct: 100.01 })], 'HESTIA_BAD_DATA', '/actions/0/data/brightness_pct');
    only([act('cover', 'set_cover_position', ['cover.lounge_blind'], { position: 49.9 })], 'HESTIA_BAD_DATA', '/actions/0/data/position');
  });

  it('judges a temperature by each climate entity\'s own min_temp and max_temp', () => {
    expect(problems([act('climate', 'set_temperature', ['climate.heat_pump'], { temperature: 26 })])).toEqual([]);
    const p = only([act('climate', 'set_temperature', ['climate.heat_pump', 'climate.radiator'], { temperature: 26 })], 'HESTIA_BAD_DATA', '/actions/0/data/temperature', /above the maximum 24 for climate\.radiator/);
    expect(p.entity_id).toBe('climate.radiator');
    expect(p.say).toBe('the temperature of Radiator only goes up to 24');
    only([act('climate', 'set_temperature', ['climate.heat_pump'], { temperature: 8 })], 'HESTIA_BAD_DATA', '/actions/0/data/temperature', /below the minimum 10 for climate\.heat_pump/);
  });

  it('judges a colour temperature by the bulb\'s own range', () => {
    only([act('light', 'turn_on', ['light.study_ceiling'], { color_temp_kelvin: 6500 })], 'HESTIA_BAD_DATA', '/actions/0/data/color_temp_kelvin', /above the maximum 5000 for light\.study_ceiling/);
    expect(problems([act('light', 'turn_on', ['light.lounge_lamp'], { color_temp_kelvin: 6500 })])).toEqual([]);
  });

  it('refuses a mode, preset or source the entity does not list', () => {
    const mode = only([act('climate', 'set_hvac_mode', ['climate.radiator'], { hvac_mode: 'cool' })], 'HESTIA_BAD_DATA', '/actions/0/data/hvac_mode', /not in climate\.radiator's hvac_modes/);
    expect(mode.say).toBe('Radiator has no mode called cool');
    only([act('climate', 'set_fan_mode', ['climate.heat_pump'], { fan_mode: 'turbo' })], 'HESTIA_BAD_DATA', '/actions/0/data/fan_mode');
    only([act('media_player', 'select_source', ['media_player.lounge_tv'], { source: 'HDMI 3' })], 'HESTIA_BAD_DATA', '/actions/0/data/source');
    only([act('fan', 'set_preset_mode', ['fan.plain_fan'], { preset_mode: 'sleep' })], 'HESTIA_BAD_DATA', '/actions/0/data/preset_mode', /lists no preset_modes/);
  });

  it('refuses a colour name that is not a CSS colour', () => {
    const p = only([act('light', 'turn_on', ['light.lounge_lamp'], { color_name: 'sunset' })], 'HESTIA_BAD_DATA', '/actions/0/data/color_name', /not a colour name/);
    expect(p.say).toBe("I don't know the colour sunset");
  });

  it('refuses an [r, g, b] colour that is not three whole numbers from 0 to 255', () => {
    for (const rgb of [[255, 0], [256, 0, 0], [1.5, 0, 0], [0, 0, 0, 0]]) {
      only([act('light', 'turn_on', ['light.lounge_lamp'], { rgb_color: rgb })], 'HESTIA_BAD_DATA', '/actions/0/data/rgb_color');
    }
  });
});

describe('what a light can show', () => {
  it('refuses brightness on a light that only switches on and off', () => {
    const p = only([act('light', 'turn_on', ['light.garage_ceiling'], { brightness_pct: 50 })], 'HESTIA_BAD_DATA', '/actions/0/data/brightness_pct', /light\.garage_ceiling cannot be dimmed/);
    // Two lights share the name "Ceiling": the area tells them apart.
    expect(p.say).toBe("Garage Ceiling can't be dimmed");
    only([act('light', 'turn_on', ['light.garage_ceiling'], { brightness_step_pct: -20 })], 'HESTIA_BAD_DATA', '/actions/0/data/brightness_step_pct');
  });

  it('refuses a colour on a light without a colour mode', () => {
    only([act('light', 'turn_on', ['light.study_ceiling'], { color_name: 'red' })], 'HESTIA_BAD_DATA', '/actions/0/data/color_name', /cannot show a colour/);
    only([act('light', 'turn_on', ['light.reading_lamp'], { rgb_color: [255, 0, 0] })], 'HESTIA_BAD_DATA', '/actions/0/data/rgb_color');
    only([act('light', 'turn_on', ['light.old_bulb'], { color_name: 'red' })], 'HESTIA_BAD_DATA', '/actions/0/data/color_name');
  });

  it('refuses a colour temperature on a light whose modes leave it out', () => {
    only([act('light', 'turn_on', ['light.reading_lamp'], { color_temp_kelvin: 3000 })], 'HESTIA_BAD_DATA', '/actions/0/data/color_temp_kelvin', /has no colour temperature/);
  });

  it('names only the lights of a group that cannot do it', () => {
    const found = problems([act('light', 'turn_on', ['light.lounge_lamp', 'light.garage_ceiling', 'light.reading_lamp'], { brightness_pct: 30 })]);
    expect(found.map((p) => p.entity_id)).toEqual(['light.garage_ceiling']);
  });
});

describe('several problems', () => {
  it('are all reported, in plan order', () => {
    const found = problems([
      act('light', 'turn_on', ['light.jacuzzi', 'light.garage_ceiling'], { brightness_pct: 150 }),
      act('lock', 'unlock', ['lock.front_door']),
    ], ['sensor.attic']);
    expect(found.map((p) => [p.code, p.path])).toEqual([
      ['HESTIA_UNKNOWN_ENTITY', '/actions/0/entity_ids/0'],
      ['HESTIA_BAD_DATA', '/actions/0/data/brightness_pct'],
      ['HESTIA_BAD_DATA', '/actions/0/data/brightness_pct'],
      ['HESTIA_UNKNOWN_ENTITY', '/actions/1/entity_ids/0'],
      ['HESTIA_UNKNOWN_ENTITY', '/query_entity_ids/0'],
    ]);
  });
});
