import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../src/catalog/catalog.js';
import { loadSnapshotFile } from '../src/catalog/snapshot.js';
import { FastPathPlanner } from '../src/understanding/fastpath/fast-path-planner.js';
import { planLines } from './support/plan-lines.js';

const demo = fileURLToPath(new URL('../config/demo-home.json', import.meta.url));
let catalog: Catalog;
const planner = new FastPathPlanner();

beforeAll(async () => {
  catalog = await loadSnapshotFile(demo);
});

/** Actions as sorted "domain.service entity {data}" lines: grouping and order do not matter. */
function flat(text: string, area?: string): string[] | 'no_match' {
  return planLines(planner, catalog, text, area ?? null, { data: true });
}

describe('fast path: commands', () => {
  const cases: Array<[string, string | undefined, string[]]> = [
    ['turn on the kitchen ceiling light', undefined, ['light.turn_on light.kitchen_ceiling']],
    ['Switch the porch light on, please.', undefined, ['light.turn_on light.porch']],
    ['kitchen lights off', undefined, ['light.turn_off light.kitchen_ceiling', 'light.turn_off light.kitchen_counter']],
    ['turn of the hall way lite', undefined, ['light.turn_off light.hallway']],
    ['dim the sofa lamp to thirty five percent', undefined, ['light.turn_on light.sofa_lamp {"brightness_pct":35}']],
    ['make the night light purple', undefined, ['light.turn_on light.kids_night_light {"color_name":"purple"}']],
    ['set the dining table light to warm white', undefined, ['light.turn_on light.dining_pendant {"color_temp_kelvin":2700}']],
    ['turn off the telly and the reading lamp', undefined, ['light.turn_off light.reading_lamp', 'media_player.turn_off media_player.living_room_tv']],
    ['turn on the light', 'office', ['light.turn_on light.desk_lamp', 'light.turn_on light.office_ceiling']],
    ['lights off upstairs', undefined, [
      'light.turn_off light.bathroom_ceiling', 'light.turn_off light.bathroom_mirror', 'light.turn_off light.bedroom_ceiling',
      'light.turn_off light.bedside_left', 'light.turn_off light.bedside_right', 'light.turn_off light.kids_ceiling', 'light.turn_off light.kids_night_light',
    ]],
    ['open the study shade halfway', undefined, ['cover.set_cover_position cover.office_shade {"position":50}']],
    ['set the thermostat to twenty two and a half degrees', undefined, ['climate.set_temperature climate.thermostat {"temperature":22.5}']],
    ['put the AC in dry mode', undefined, ['climate.set_hvac_mode climate.bedroom_ac {"hvac_mode":"dry"}']],
    ['bedroom fan on low', undefined, ['fan.set_percentage fan.bedroom_ceiling {"percentage":33}']],
    ['set the volume on the kitchen speaker to 45', undefined, ['media_player.volume_set media_player.kitchen_speaker {"volume_level":0.45}']],
    ['next track', 'kitchen', ['media_player.media_next_track media_player.kitchen_speaker']],
    ['start movie night', undefined, ['scene.turn_on scene.movie_night']],
    ['lock the back door', undefined, ['lock.lock lock.back_door']],
    ['send the hoover home', undefined, ['vacuum.return_to_base vacuum.robot']],
    ['shut off the sprinklers', undefined, ['valve.close_valve valve.garden_sprinklers']],
    ['turn the heating up by two degrees', undefined, ['climate.set_temperature climate.thermostat {"temperature":22}']],
    // Idioms, split verbs and complaints that ask for the opposite.
    ['douse the porch light', undefined, ['light.turn_off light.porch']],
    ['pop the kettle on for me', undefined, ['switch.turn_on switch.kettle']],
    ['get the desk fan going', undefined, ['fan.turn_on fan.desk_fan']],
    ['pull the bedroom curtains shut', undefined, ['cover.close_cover cover.bedroom_curtains']],
    ['put the living room blinds down', undefined, ['cover.close_cover cover.living_room_blinds']],
    ['the sofa lamp is way too bright', undefined, ['light.turn_on light.sofa_lamp {"brightness_step_pct":-25}']],
    ['the telly is too loud', undefined, ['media_player.volume_down media_player.living_room_tv']],
    ['whack the heating up a degree', undefined, ['climate.set_temperature climate.thermostat {"temperature":21}']],
    ['knock the heating down a notch', undefined, ['climate.set_temperature climate.thermostat {"temperature":19}']],
    ['heating at 21 please', undefined, ['climate.set_temperature climate.thermostat {"temperature":21}']],
    ['open the office shade a third of the way', undefined, ['cover.set_cover_position cover.office_shade {"position":33}']],
    ['kitchen ceiling light to three quarters', undefined, ['light.turn_on light.kitchen_ceiling {"brightness_pct":75}']],
    ['set the bedroom fan to its sleep setting', undefined, ['fan.set_preset_mode fan.bedroom_ceiling {"preset_mode":"sleep"}']],
    ['bedroom fan sleep mode', undefined, ['fan.set_preset_mode fan.bedroom_ceiling {"preset_mode":"sleep"}']],
    ['make sure the back door is locked', undefined, ['lock.lock lock.back_door']],
    ['switch the telly and the kettle off', undefined, ['media_player.turn_off media_player.living_room_tv', 'switch.turn_off switch.kettle']],
    ['lights out in here', 'office', ['light.turn_off light.desk_lamp', 'light.turn_off light.office_ceiling']],
    ['movie night please', undefined, ['scene.turn_on scene.movie_night']],
    ['put netflix on', 'living_room', ['media_player.select_source media_player.living_room_tv {"source":"Netflix"}']],
    ['take the telly off mute', undefined, ['media_player.volume_mute media_player.living_room_tv {"is_volume_muted":false}']],
    ['stop the sprinklers', undefined, ['valve.close_valve valve.garden_sprinklers']],
    ['set the thermostat two 21', undefined, ['climate.set_temperature climate.thermostat {"temperature":21}']],
    ['find the hoover', undefined, ['vacuum.locate vacuum.robot']],
    ['have the robot vacuum clean the house', undefined, ['vacuum.start vacuum.robot']],
    ['shut the kettle off', undefined, ['switch.turn_off switch.kettle']],
    ['slow the desk fan down', undefined, ['fan.decrease_speed fan.desk_fan']],
    ['make the sofa lamp as bright as it goes', undefined, ['light.turn_on light.sofa_lamp {"brightness_pct":100}']],
    ['turn the kitchen speaker up to sixty percent', undefined, ['media_player.volume_set media_player.kitchen_speaker {"volume_level":0.6}']],
    ['turn off the porch light sand the kettle', undefined, ['light.turn_off light.porch', 'switch.turn_off switch.kettle']],
    // A small bare number on a fan that counts speeds is a speed (this one steps by 25).
    ['set the bedroom fan to 2', undefined, ['fan.set_percentage fan.bedroom_ceiling {"percentage":50}']],
    ['desk fan to 2', undefined, ['fan.set_percentage fan.desk_fan {"percentage":67}']],
    ['turn off all the TVs', undefined, ['media_player.turn_off media_player.living_room_tv']],
    // Homophones and plural slips a recogniser writes.
    ['switch on the ketle', undefined, ['switch.turn_on switch.kettle']],
    ['turn on the reading lamps', undefined, ['light.turn_on light.reading_lamp']],
  ];
  for (const [text, area, expected] of cases) {
    it(`${text}${area ? ` (in ${area})` : ''}`, () => {
      expect(flat(text, area)).toEqual(expected);
    });
  }
});

describe('fast path: questions never act', () => {
  it('answers a lock question from the catalog state', () => {
    const r = planner.plan({ id: 'q', text: 'is the front door locked?' }, catalog);
    expect(r).toMatchObject({ status: 'ok', actions: [], query_entity_ids: ['lock.front_door'] });
    expect(r.speech).toMatch(/locked/);
  });
  it('reads the area temperature sensor', () => {
    const r = planner.plan({ id: 'q', text: "what's the temperature in the study" }, catalog);
    expect(r.query_entity_ids).toEqual(['sensor.office_temperature']);
    expect(r.speech).toContain('21.4');
  });
  it('lists the lights that are on', () => {
    const r = planner.plan({ id: 'q', text: 'which lights are on?' }, catalog);
    expect(r.actions).toEqual([]);
    expect(r.query_entity_ids).toContain('light.porch');
    expect(r.speech).toContain('Desk Lamp');
    expect(r.speech).not.toContain('Porch');
  });
});

describe('fast path: steps aside when not sure', () => {
  const refusals: Array<[string, string | undefined]> = [
    ['turn on the jacuzzi', undefined],
    ["don't turn on the fan", undefined],
    ['turn on the porch light at sunset', undefined],
    ['turn on the porch light in ten minutes', undefined],
    ['set the thermostat to 90', undefined],
    ['make the garage light blue', undefined],
    ['dim the garage light', undefined],
    ['turn on the bedside lamp', undefined],
    ['turn off the kitchen', undefined],
    ['turn on the lamp', undefined],
    ['turn off all the lights except the porch', undefined],
    ['what is the meaning of life', undefined],
    ['good morning turn on the lights', undefined],
    ['set the temperature to 19', undefined],
    ['turn it off', undefined],
    ['tell me a joke', undefined],
    // Shapes close to the ones above that must still step aside.
    ['draw the bedroom curtains', undefined],
    ['turn on the lamp by the sofa', undefined],
    ['turn the porch light on at 7', undefined],
    ['switch the telly and play some music', undefined],
    ['make sure the front door', undefined],
    ['is there a light near the kettle', undefined],
    ['turn the thermostat up to cool', undefined],
    ['clean the kitchen', undefined],
    // A speed on a fan that does not count them, and "volume 5" (of ten, or percent?): not guessed.
    ['set the bathroom fan to 2', undefined],
    ['set the volume on the kitchen speaker to 5', undefined],
  ];
  for (const [text, area] of refusals) {
    it(text, () => {
      expect(flat(text, area)).toBe('no_match');
    });
  }
});

describe('fast path: unexposed entities are invisible', () => {
  it('does not act on an entity hidden from voice', async () => {
    const { catalogFromSnapshot } = await import('../src/catalog/snapshot.js');
    const hidden = catalogFromSnapshot({
      areas: [{ area_id: 'shed', name: 'Shed' }],
      entities: [
        { entity_id: 'switch.saw', name: 'Table Saw', area_id: 'shed', exposed: false },
        { entity_id: 'light.shed', name: 'Shed Light', area_id: 'shed' },
      ],
    });
    expect(planner.plan({ id: 'h', text: 'turn on the table saw' }, hidden).status).toBe('no_match');
    expect(planner.plan({ id: 'h', text: 'turn on the shed light' }, hidden).status).toBe('ok');
  });
});

describe('fast path: follow-ups in a conversation', () => {
  it('reads "it" as the last device the conversation named, and only in that conversation', async () => {
    const { ConversationMemory } = await import('../src/understanding/conversation-memory.js');
    let now = 0;
    const memory = new ConversationMemory({ ttlMs: 60_000, now: () => now });
    const p = new FastPathPlanner({ memory });
    expect(p.plan({ id: 'a', text: 'turn on the porch light', conversation_id: 'c1' }, catalog).status).toBe('ok');
    const follow = p.plan({ id: 'b', text: 'turn it off', conversation_id: 'c1' }, catalog);
    expect(follow.actions).toEqual([{ domain: 'light', service: 'turn_off', entity_ids: ['light.porch'], data: {} }]);
    expect(p.plan({ id: 'c', text: 'turn it off', conversation_id: 'c2' }, catalog).status).toBe('no_match');
    now = 120_000;
    expect(p.plan({ id: 'd', text: 'turn it off', conversation_id: 'c1' }, catalog).status).toBe('no_match');
  });
});
