// Requests that carry more than a command: a remark beside it ("disarm the alarm, I'm home"), a
// purpose ("for the postman"), a device placed by another, a kind said beside a named device. The
// command is read only when nothing else could change what it means.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../src/catalog/catalog.js';
import { catalogFromSnapshot, loadSnapshotFile } from '../src/catalog/snapshot.js';
import type { HomeSnapshot } from '../src/catalog/types.js';
import { readFile } from 'node:fs/promises';
import { CatalogIndexCache } from '../src/understanding/fastpath/catalog-index.js';
import { commandBesideRemarks } from '../src/understanding/fastpath/commentary.js';
import { FastPathPlanner } from '../src/understanding/fastpath/fast-path-planner.js';
import { planLines } from './support/plan-lines.js';

const file = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
let demo: Catalog;
let townhouse: Catalog;
const planner = new FastPathPlanner();

beforeAll(async () => {
  demo = await loadSnapshotFile(file('../config/demo-home.json'));
  townhouse = await loadSnapshotFile(file('./eval/homes/townhouse.json'));
});

const flat = (catalog: Catalog, text: string, area: string | null = null): string[] | 'no_match' => planLines(planner, catalog, text, area);

describe('a command beside a remark', () => {
  it('reads the command when everything else is only a remark', () => {
    expect(flat(demo, 'turn off the kettle, the baby is asleep')).toEqual(['switch.turn_off switch.kettle']);
    expect(flat(demo, 'we are back so switch guest mode off')).toEqual(['input_boolean.turn_off input_boolean.guest_mode']);
    expect(flat(demo, 'lock the back door for the cleaner')).toEqual(['lock.lock lock.back_door']);
  });

  it('keeps a remark that could change the command, and steps aside', () => {
    for (const text of [
      'turn on the porch light, tomorrow',
      'turn on the porch light for ten minutes',
      'switch the kettle on for a bit',
      'turn off the lights, except the porch',
      'turn off the kettle, no wait',
      'turn on the porch light, when I get home',
      'turn on the porch light, if it gets dark',
    ]) {
      expect(flat(demo, text), text).toBe('no_match');
    }
  });

  it('splits only where there is one command and the rest are remarks', () => {
    const index = new CatalogIndexCache().get(demo);
    expect(commandBesideRemarks('disarm the alarm, I am home', index)).toBe('disarm the alarm');
    expect(commandBesideRemarks('turn on the porch light, turn off the kettle', index)).toBeNull();
    expect(commandBesideRemarks('turn on the porch light', index)).toBeNull();
  });
});

describe('places and neighbours', () => {
  it('leaves a device placed by another to the model', () => {
    expect(flat(demo, 'turn on the lamp next to the telly')).toBe('no_match');
    expect(flat(demo, 'turn on the lamp by the sofa')).toBe('no_match');
    expect(planner.plan({ id: 'q', text: 'is there a light near the kettle', area_id: null }, demo).status).toBe('no_match');
  });

  it('reads a kind said beside a named device as the one in its room', () => {
    expect(flat(townhouse, 'turn off the TV and the soundbar')).toEqual(['media_player.turn_off media_player.lounge_soundbar', 'media_player.turn_off media_player.lounge_tv']);
  });
});

describe('a name that is also a room or a kind', () => {
  it('reads a room after "in" as the room, even when a device has its name', async () => {
    const snapshot = JSON.parse(await readFile(file('../config/demo-home.json'), 'utf8')) as HomeSnapshot;
    // A speaker called "Kitchen" in the kitchen, and a speaker called "Music" in the office.
    snapshot.entities.push(
      { entity_id: 'media_player.kitchen', name: 'Kitchen', aliases: [], area_id: 'kitchen', state: 'playing', device_class: 'speaker', attributes: {} },
      { entity_id: 'media_player.music', name: 'Music', aliases: [], area_id: 'office', state: 'paused', device_class: 'speaker', attributes: {} },
    );
    const home = catalogFromSnapshot(snapshot);
    expect(flat(home, 'turn off all the lights in the kitchen')).toEqual(['light.turn_off light.kitchen_ceiling', 'light.turn_off light.kitchen_counter']);
    // Said alone it could be either: left to the model.
    expect(flat(home, 'turn off the kitchen')).toBe('no_match');
    expect(flat(home, 'pause the music')).toBe('no_match');
    // A verb only a device takes settles it.
    expect(flat(home, 'mute the kitchen')).toEqual(['media_player.volume_mute media_player.kitchen']);
  });
});

describe('regional ways of saying it', () => {
  it('reads "on"/"off" said as verbs, "put ... on 24", "would you ever", "aff"', () => {
    expect(flat(demo, 'on the kitchen lights')).toEqual(['light.turn_on light.kitchen_ceiling', 'light.turn_on light.kitchen_counter']);
    expect(flat(demo, 'off the desk fan and on the kettle')).toEqual(['fan.turn_off fan.desk_fan', 'switch.turn_on switch.kettle']);
    expect(flat(demo, 'put the thermostat on 21')).toEqual(['climate.set_temperature climate.thermostat']);
    expect(flat(demo, 'would you ever switch aff the porch light')).toEqual(['light.turn_off light.porch']);
  });

  it('keeps "on the" a place after "plus" and a number after "on" a time when a verb says "on"', () => {
    expect(flat(demo, 'put netflix plus on the tv')).toEqual(['media_player.select_source media_player.living_room_tv']);
    expect(flat(demo, 'turn the porch light on 7')).toBe('no_match');
  });
});

describe('names, kinds and labels in larger homes', () => {
  it('reads the typed "Device: Action" form, a choice said after "to", the contact of a lock, all of a kind', async () => {
    const snapshot = JSON.parse(await readFile(file('../config/demo-home.json'), 'utf8')) as HomeSnapshot;
    snapshot.entities.push(
      { entity_id: 'fan.hood', name: 'Cooker Hood', aliases: [], area_id: 'kitchen', state: 'off', device_class: null, attributes: { preset_modes: ['boost'] } },
      { entity_id: 'cover.office_blind', name: 'Blind', aliases: [], area_id: 'office', state: 'open', device_class: 'blind', attributes: {} },
      { entity_id: 'cover.office_roller', name: 'Roller', aliases: [], area_id: 'office', state: 'open', device_class: 'blind', attributes: {} },
      { entity_id: 'cover.bay_blinds', name: 'Bay Window Blinds', aliases: [], area_id: 'living_room', state: 'open', device_class: 'blind', attributes: {} },
    );
    const home = catalogFromSnapshot(snapshot);
    expect(flat(home, 'Back Door: Lock')).toEqual(['lock.lock lock.back_door']);
    expect(flat(home, 'set the cooker hood to boost')).toEqual(['fan.set_preset_mode fan.hood']);
    expect(planner.plan({ id: 'q', text: 'is the back door open', area_id: null }, home).query_entity_ids).toEqual(['binary_sensor.back_door_contact']);
    expect(flat(home, 'close all the blinds in the office')).toEqual(['cover.close_cover cover.office_blind', 'cover.close_cover cover.office_roller']);
    expect(planner.plan({ id: 'q', text: 'which windows are open', area_id: null }, home).query_entity_ids).not.toContain('cover.bay_blinds');
  });
});

describe('older speakers', () => {
  it('reads endearments, long polite lead-ins and a remark about someone that denies something', () => {
    expect(flat(demo, 'could you put the kettle on love')).toEqual(['switch.turn_on switch.kettle']);
    expect(flat(demo, 'I wonder if you could possibly turn on the porch light please dear')).toEqual(['light.turn_on light.porch']);
    expect(flat(demo, "turn on the hallway light please, I can't see a thing")).toEqual(['light.turn_on light.hallway']);
    expect(flat(demo, 'put the porch light and the hallway light on')).toEqual(['light.turn_on light.hallway', 'light.turn_on light.porch']);
    expect(flat(demo, 'kettle and christmas tree on thx')).toEqual(['switch.turn_on switch.christmas_tree', 'switch.turn_on switch.kettle']);
    expect(flat(demo, 'bedroom curtains down')).toEqual(['cover.close_cover cover.bedroom_curtains']);
    expect(flat(demo, 'the kettle and turn off the lights')).toBe('no_match');
    expect(flat(demo, 'the night light in the kids room, could you make it purple')).toEqual(['light.turn_on light.kids_night_light']);
    // A denial that is not about someone still undoes the command.
    expect(flat(demo, 'turn on the hallway light, not the porch')).toBe('no_match');
  });
});

describe('"my" in a shared home', () => {
  it('means the speaker\'s room only, and nothing when the room is not known', () => {
    expect(flat(demo, 'turn off my lamp', 'office')).toEqual(['light.turn_off light.desk_lamp']);
    // The only heater is in the office: from the kitchen, "my heater" is not it.
    expect(flat(demo, 'turn on the heater', 'kitchen')).toEqual(['switch.turn_on switch.office_heater']);
    expect(flat(demo, 'turn on my heater', 'kitchen')).toBe('no_match');
    expect(flat(demo, 'turn on my heater', null)).toBe('no_match');
  });
});

describe('groups', () => {
  it('reads a light group by its exact name, and a room said as such as the room', async () => {
    const snapshot = JSON.parse(await readFile(file('../config/demo-home.json'), 'utf8')) as HomeSnapshot;
    snapshot.entities.push({
      entity_id: 'light.kitchen_group', name: 'Kitchen Lights', aliases: [], area_id: 'kitchen', state: 'off', device_class: null,
      attributes: { entity_id: ['light.kitchen_ceiling'], supported_color_modes: ['brightness'] },
    });
    const home = catalogFromSnapshot(snapshot);
    expect(flat(home, 'turn on the kitchen lights')).toEqual(['light.turn_on light.kitchen_group']);
    expect(flat(home, 'turn on the lights in the kitchen')).toEqual(['light.turn_on light.kitchen_ceiling', 'light.turn_on light.kitchen_counter', 'light.turn_on light.kitchen_group']);
    expect(planner.plan({ id: 'q', text: 'is there a leak under the sink', area_id: null }, home).status).toBe('no_match');
  });
});

describe('a remark about what a person is doing', () => {
  it('may use words that are also actions, when it points at no device', () => {
    expect(flat(demo, "turn the telly off now please, we're going through to bed")).toEqual(['media_player.turn_off media_player.living_room_tv']);
    expect(flat(demo, "unlock the front door, she's gone out")).toEqual(['lock.unlock lock.front_door']);
    expect(flat(demo, "turn the thermostat up a little please, I'm feeling the cold")).toEqual(["climate.set_temperature climate.thermostat"]);
  });
  it('never when it points at a device, names one, or holds a time', () => {
    // "I want them on" corrects the command; it is not a remark.
    expect(flat(demo, 'turn off the porch light, I want it on')).toBe('no_match');
    expect(flat(demo, "turn off the porch light, I'll turn on the kettle")).toBe('no_match');
    expect(flat(demo, "turn off the porch light, we're going out at 9")).toBe('no_match');
    expect(flat(demo, "turn off the porch light, we're going to bed later")).toBe('no_match');
  });
});

describe('where clauses break', () => {
  it('"be so kind as to" is no clause boundary: a question before it is not dropped as a remark', () => {
    expect(flat(demo, 'would you be so kind as to switch the desk lamp on for me')).toEqual(['light.turn_on light.desk_lamp']);
    expect(flat(demo, 'should I would you be so kind as to switch the desk lamp on for me')).toBe('no_match');
  });
});
