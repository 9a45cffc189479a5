// English as many households speak it: "open the light", "make the fan more fast", "yellow light",
// and the sensor questions families ask. Each reading also has a shape that must not act.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../src/catalog/catalog.js';
import { catalogFromSnapshot, loadSnapshotFile } from '../src/catalog/snapshot.js';
import { FastPathPlanner } from '../src/understanding/fastpath/fast-path-planner.js';
import { planLines } from './support/plan-lines.js';

const planner = new FastPathPlanner();
let demo: Catalog;
// The evaluation homes these tests borrow, each loaded once.
let apartment: Catalog;
let row: Catalog;
let chalet: Catalog;
let studio: Catalog;
let ranch: Catalog;
let lab: Catalog;
const evalHome = (name: string): Promise<Catalog> => loadSnapshotFile(fileURLToPath(new URL(`./eval/homes/${name}.json`, import.meta.url)));

beforeAll(async () => {
  demo = await loadSnapshotFile(fileURLToPath(new URL('../config/demo-home.json', import.meta.url)));
  [apartment, row, chalet, studio, ranch, lab] = await Promise.all([evalHome('apartment'), evalHome('rowhouse'), evalHome('chalet'), evalHome('studio'), evalHome('ranch'), evalHome('loftlab')]);
});

function flat(catalog: Catalog, text: string, area?: string): string[] | 'no_match' {
  return planLines(planner, catalog, text, area ?? null, { data: true, asks: true });
}

describe('"open" and "close" for devices that only switch', () => {
  it('switches a light, a player, an air conditioner', () => {
    expect(flat(demo, 'open the desk lamp please')).toEqual(['light.turn_on light.desk_lamp']);
    expect(flat(demo, 'close the telly, dinner is ready')).toEqual(['media_player.turn_off media_player.living_room_tv']);
    expect(flat(demo, 'open the bedroom air conditioner')).toEqual(['climate.turn_on climate.bedroom_ac']);
    expect(flat(demo, 'close the kettle and open the living room blinds')).toEqual(['cover.open_cover cover.living_room_blinds', 'switch.turn_off switch.kettle']);
  });

  it('still opens what opens', () => {
    expect(flat(demo, 'open the garage')).toEqual(['cover.open_cover cover.garage_door']);
    expect(flat(demo, 'close the bedroom curtains')).toEqual(['cover.close_cover cover.bedroom_curtains']);
  });

  it('never for a bare room, an intent carried over, or a switch that opens something', () => {
    expect(flat(demo, 'open the kitchen')).toBe('no_match');
    // "let some light in" is why, not a second thing to open.
    const why = flat(demo, 'open the living room blinds and let a bit of light in');
    expect(why === 'no_match' || why.every((a) => a.startsWith('cover.'))).toBe(true);
    expect(flat(demo, 'open the living room blinds and the desk lamp')).toBe('no_match');
    const relay = catalogFromSnapshot({
      areas: [{ area_id: 'garage', name: 'Garage' }],
      entities: [
        { entity_id: 'switch.garage_door_relay', name: 'Garage Door Opener', area_id: 'garage', state: 'off' },
        { entity_id: 'light.garage', name: 'Garage Light', area_id: 'garage', state: 'off' },
      ],
    });
    expect(flat(relay, 'open the garage door opener')).toBe('no_match');
    expect(flat(relay, 'turn off the garage light')).toEqual(['light.turn_off light.garage']);
  });
});

describe('"more" and "less" before an adjective', () => {
  const cases: Array<[string, string[]]> = [
    ['make the desk fan more fast', ['fan.increase_speed fan.desk_fan']],
    ['bedroom fan less fast please', ['fan.decrease_speed fan.bedroom_ceiling']],
    ['sofa lamp less bright', ['light.turn_on light.sofa_lamp {"brightness_step_pct":-25}']],
    ['make the kitchen speaker more loud', ['media_player.volume_up media_player.kitchen_speaker']],
    ['the reading lamp a little more strong', ['light.turn_on light.reading_lamp {"brightness_step_pct":25}']],
  ];
  for (const [text, expected] of cases) it(text, () => expect(flat(demo, text)).toEqual(expected));
  it('not where the adjective means something the device does not do', () => {
    expect(flat(demo, 'make the kettle more fast')).toBe('no_match');
  });
});

describe('colours of white', () => {
  it('reads "yellow" on a bulb that only does whites as warm white, and as yellow where it can', () => {
    expect(flat(demo, 'make the kitchen ceiling light yellow')).toEqual(['light.turn_on light.kitchen_ceiling {"color_temp_kelvin":2700}']);
    expect(flat(demo, 'make the night light yellow')).toEqual(['light.turn_on light.kids_night_light {"color_name":"yellow"}']);
    expect(flat(demo, 'make the sofa lamp yellow')).toBe('no_match');
  });
});

describe('settings and remarks that must not be dropped', () => {
  it('does not drop a direction said after "on"', () => {
    // The thermostat has no boost preset: "on boost" is not plain "on".
    expect(flat(demo, 'put the thermostat on boost')).toBe('no_match');
    expect(flat(demo, 'put the bedroom fan on sleep')).toEqual(['fan.set_preset_mode fan.bedroom_ceiling {"preset_mode":"sleep"}']);
  });

  it('hears a time in a remark written as a word that sounds like one', () => {
    expect(flat(demo, 'arm the alarm for the knight')).toBe('no_match');
    expect(flat(demo, 'turn off the kettle in ten minuets')).toBe('no_match');
    expect(flat(demo, 'arm the alarm for the night')).toEqual(['alarm_control_panel.alarm_arm_night alarm_control_panel.house']);
  });
});

describe('sensor questions', () => {
  it('asks every leak and smoke sensor when asked about them all', () => {
    const leaks = ['ask binary_sensor.aqara_leak_sink', 'ask binary_sensor.bathroom_leak', 'ask binary_sensor.washer_leak'];
    expect(flat(apartment, 'is there a leak')).toEqual(leaks);
    expect(flat(apartment, 'are there any leaks')).toEqual(leaks);
    expect(flat(apartment, 'are the smoke detectors ok')).toEqual(['ask binary_sensor.hallway_smoke', 'ask binary_sensor.kitchen_smoke']);
    expect(flat(apartment, 'is the kitchen smoke detector ok')).toEqual(['ask binary_sensor.kitchen_smoke']);
  });

  it('keeps a remark about a leak a remark', () => {
    expect(flat(apartment, 'close the main water, there is a leak')).toEqual(['valve.close_valve valve.water_main_shutoff']);
  });

  it('reads a device by its own alias even when its name is a room and a kind', () => {
    // "Living Room Curtains" is also called "the thick curtains"; the sheers hang beside them.
    expect(flat(apartment, 'close the thick curtains')).toEqual(['cover.close_cover cover.salon_curtains']);
    expect(flat(apartment, 'close the living room curtains')).toEqual(['cover.close_cover cover.salon_curtains', 'cover.close_cover cover.salon_sheers']);
  });
});

describe('the device first, the verb last', () => {
  const cases: Array<[string, string[]]> = [
    ['porch light on please', ['light.turn_on light.porch']],
    ['bedroom curtains open', ['cover.open_cover cover.bedroom_curtains']],
    ['kitchen lights switch off', ['light.turn_off light.kitchen_ceiling', 'light.turn_off light.kitchen_counter']],
    ['the light of the hallway open', ['light.turn_on light.hallway']],
  ];
  for (const [text, expected] of cases) it(text, () => expect(flat(demo, text)).toEqual(expected));
  it('not when more follows the verb, nor after a routine\'s name', () => {
    expect(flat(demo, 'good morning turn on the lights')).toBe('no_match');
    expect(flat(demo, 'porch light on tomorrow')).toBe('no_match');
    expect(flat(demo, 'the desk lamp open the blinds')).toBe('no_match');
  });
});

describe('a room by the last word of its name', () => {
  it('"the bedroom" for the only room whose name ends so', () => {
    expect(flat(apartment, 'turn on the air conditioner in the bedroom')).toEqual(['climate.turn_on climate.gree_bedroom']);
    expect(flat(apartment, 'put the ceiling fan of bedroom on sleep')).toEqual(['fan.set_preset_mode fan.parents_ceiling_fan {"preset_mode":"sleep"}']);
  });
  it('not where two rooms end with that word', () => {
    const two = catalogFromSnapshot({
      areas: [{ area_id: 'guest', name: 'Guest Bedroom' }, { area_id: 'main', name: 'Main Bedroom' }],
      entities: [
        { entity_id: 'light.guest', name: 'Guest Lamp', area_id: 'guest', state: 'off' },
        { entity_id: 'light.main', name: 'Main Lamp', area_id: 'main', state: 'off' },
      ],
    });
    expect(flat(two, 'turn on the lamp in the bedroom')).toBe('no_match');
  });
});

describe('more lead-ins and whites', () => {
  it('reads learners\' lead-ins and "the most cold white"', () => {
    expect(flat(demo, 'be so kind and switch on the desk lamp')).toEqual(['light.turn_on light.desk_lamp']);
    expect(flat(demo, 'i am wanting the bedroom curtains open')).toEqual(['cover.open_cover cover.bedroom_curtains']);
    expect(flat(demo, 'office light the most cold white')).toEqual(['light.turn_on light.office_ceiling {"color_temp_kelvin":6500}']);
    expect(flat(demo, 'give me more light from the reading lamp')).toEqual(['light.turn_on light.reading_lamp {"brightness_step_pct":25}']);
  });
});

describe('fans, routines and questions in a statement\'s order', () => {
  it('reverses a fan that reports its direction, and only such a fan', () => {
    expect(flat(apartment, 'turn the living room ceiling fan in reverse')).toEqual(['fan.set_direction fan.salon_ceiling_fan {"direction":"reverse"}']);
    expect(flat(demo, 'reverse the desk fan')).toBe('no_match');
  });
  it('sets a fan swinging "left and right"', () => {
    expect(flat(apartment, "make baba's fan go left and right")).toEqual(['fan.oscillate fan.dreo_pedestal {"oscillating":true}']);
  });
  it('"put" a routine said in full', () => {
    expect(flat(demo, 'put movie night')).toEqual(['scene.turn_on scene.movie_night']);
    expect(flat(demo, 'put the kettle')).toBe('no_match');
  });
  it('asks when a device, "is" and a state come in that order, and never acts', () => {
    expect(flat(demo, 'the kettle is still on?')).toEqual(['ask switch.kettle']);
    expect(flat(demo, 'front door is locked or unlocked')).toEqual(['ask lock.front_door']);
    expect(flat(demo, 'is the porch light on or off')).toEqual(['ask light.porch']);
    expect(flat(demo, 'turn the porch light on or off')).toBe('no_match');
    // Without "?" it may be news, not a question.
    expect(flat(demo, 'the kettle is on')).toBe('no_match');
  });
  it('picks the sensor that measures what is asked among same-named ones', () => {
    expect(flat(apartment, 'how hot is outside now')).toEqual(['ask sensor.terrace_temperature']);
  });
});

describe('a number said before its direction is the step', () => {
  it('"20 percent brighter" steps up by 20, never sets 20 percent', () => {
    expect(flat(demo, 'make the sofa lamp 20 percent brighter')).toEqual(['light.turn_on light.sofa_lamp {"brightness_step_pct":20}']);
    expect(flat(demo, 'the thermostat 2 degrees warmer')).toEqual(['climate.set_temperature climate.thermostat {"temperature":22}']);
  });
  it('"500 kelvin cooler" from the white the bulb shows now, within what it can show', () => {
    const bulb = (now: number) => catalogFromSnapshot({
      entities: [{
        entity_id: 'light.spots', name: 'Spots', state: 'on',
        attributes: { supported_color_modes: ['color_temp'], color_temp_kelvin: now, min_color_temp_kelvin: 2700, max_color_temp_kelvin: 6500 },
      }],
    });
    expect(flat(bulb(3000), 'make the spots 500 kelvin cooler')).toEqual(['light.turn_on light.spots {"color_temp_kelvin":3500}']);
    expect(flat(bulb(3000), 'spots 300 kelvin warmer')).toEqual(['light.turn_on light.spots {"color_temp_kelvin":2700}']);
    expect(flat(bulb(3000), 'spots 500 kelvin warmer')).toBe('no_match');
  });
});

describe('compound and relative requests', () => {
  it('reads commas between commands as "and", and "his" as the one just named', () => {
    expect(flat(demo, 'kettle on, kitchen ceiling light to full and turn the kitchen speaker up')).toEqual([
      'light.turn_on light.kitchen_ceiling {"brightness_pct":100}', 'media_player.volume_up media_player.kitchen_speaker', 'switch.turn_on switch.kettle',
    ]);
    expect(flat(row, "turn Kit's fan off and close his blind")).toEqual(['cover.close_cover cover.kit_blind', 'fan.turn_off fan.kit_ceiling_fan']);
    // A remark after a comma is still only a remark.
    expect(flat(demo, 'disarm the alarm, i am home')).toEqual(['alarm_control_panel.alarm_disarm alarm_control_panel.house']);
  });
  it('reads "half a degree", "a couple of degrees", "number three"', () => {
    expect(flat(demo, 'turn the thermostat up a couple of degrees')).toEqual(['climate.set_temperature climate.thermostat {"temperature":22}']);
    expect(flat(demo, 'thermostat half a degree warmer')).toEqual(['climate.set_temperature climate.thermostat {"temperature":20.5}']);
    expect(flat(row, 'stair light number three on')).toEqual(['light.turn_on light.stairs_top']);
  });
  it('gives a room or floor said with a temperature its one thermostat, and a landing its floor\'s', () => {
    expect(flat(row, 'set the top floor to nineteen and a half')).toEqual(['climate.set_temperature climate.zone_top {"temperature":19.5}']);
    expect(flat(row, 'turn the heat down half a degree', 'top_landing')).toEqual(['climate.set_temperature climate.zone_top {"temperature":18}']);
    expect(flat(demo, 'set the kitchen to 50')).toBe('no_match');
  });
  it('reads a name in another order, and a numbered family by its head in the plural only', () => {
    expect(flat(row, 'left sofa lamp to 70')).toEqual(['light.turn_on light.sofa_lamp_left {"brightness_pct":70}']);
    expect(flat(row, 'tree uplights green please')).toEqual(['light.turn_on light.tree_uplight_1 {"color_name":"green"}', 'light.turn_on light.tree_uplight_2 {"color_name":"green"}']);
    expect(flat(row, 'tree uplight green')).toBe('no_match');
    // A count is not a number in a name.
    expect(flat(row, 'all three stair lights on at 30 percent')).toBe('no_match');
  });
  it('sends a vacuum out to clean, and home to its dock', () => {
    expect(flat(demo, 'send the robot vacuum out')).toEqual(['vacuum.start vacuum.robot']);
    expect(flat(demo, 'send the robot vacuum home')).toEqual(['vacuum.return_to_base vacuum.robot']);
  });
});

describe('guests describing devices: what must not act', () => {
  it('part of one device\'s name said in the plural is not that device', () => {
    // "Glove Dryer" is the only dryer; the boots have "Boot Warmer 1" and "2".
    expect(flat(chalet, 'switch on the boot dryers', 'ski_room')).toBe('no_match');
    expect(flat(chalet, 'switch on the glove dryer')).toEqual(['switch.turn_on switch.glove_dryer']);
  });
  it('a device after "in" is where the other is', () => {
    expect(flat(chalet, 'turn on the jets in the hot tub')).toBe('no_match');
    expect(flat(chalet, 'turn on the jets')).toEqual(['switch.turn_on switch.whirlpool_duesen']);
  });
  it('"a little" with a number is not guessed', () => {
    expect(flat(demo, 'make the sofa lamp a little bit brighter 80 percent')).toBe('no_match');
  });
  it('"play some music" does not pick the player that was paused last; "resume" does', () => {
    expect(flat(chalet, 'play some music')).toBe('no_match');
    expect(flat(chalet, 'resume the music')).toEqual(['media_player.media_play media_player.bunks_speaker']);
  });
});

describe('guests describing devices: what they mean', () => {
  it('a device with exactly the name said, over a room read from part of its name', () => {
    // "Sauna" is a device; "sauna" is also the head of the "Sauna Room".
    expect(flat(chalet, 'turn on the sauna please')).toEqual(['climate.turn_on climate.sauna']);
    expect(flat(chalet, 'turn on the light in the sauna')).toEqual(['light.turn_on light.sauna']);
  });
  it('"open the garage": its one cover, not the water main beside it', () => {
    expect(flat(chalet, 'open the garage')).toEqual(['cover.open_cover cover.garage']);
  });
  it('heating as one system: every zone of a floor; floor heating is heating', () => {
    expect(flat(chalet, 'set the underfloor heating downstairs to 20')).toEqual([
      'climate.set_temperature climate.flur_fbh {"temperature":20}', 'climate.set_temperature climate.kueche_fbh {"temperature":20}', 'climate.set_temperature climate.stube_fbh {"temperature":20}',
    ]);
    expect(flat(chalet, 'turn off the floor heating in the twin room')).toEqual(['climate.turn_off climate.enzian_fbh']);
  });
  it('robot cleaners and reopening', () => {
    expect(flat(chalet, 'stop the robot cleaner')).toEqual(['vacuum.stop vacuum.ruedi']);
    expect(flat(chalet, 'reopen the Haupthahn')).toEqual(['valve.open_valve valve.haupthahn']);
  });
});

describe('more compound and relative shapes', () => {
  it('moves a blind by a step from where it is', () => {
    // Hana's blind is at 60.
    expect(flat(row, "lower Hana's blind another twenty percent")).toEqual(['cover.set_cover_position cover.office_front_blind {"position":40}']);
    expect(flat(row, "raise Hana's blind 50 percent")).toBe('no_match');
  });
  it('"drop" and "bring down" lower', () => {
    expect(flat(demo, 'drop the thermostat by two degrees')).toEqual(['climate.set_temperature climate.thermostat {"temperature":18}']);
  });
  it('asks about two places or devices joined by "and"', () => {
    expect(flat(row, 'what temperature is it in the front office and the back office')).toEqual(['ask sensor.office_back_temperature', 'ask sensor.office_front_temperature']);
    expect(flat(demo, 'is the front door and the back door locked')).toEqual(['ask lock.back_door', 'ask lock.front_door']);
  });
  it('"both offices" is every room called "... Office"; "the office" stays a question', () => {
    const both = flat(row, 'lights off in both offices');
    expect(both).toContain('light.turn_off light.office_front_ceiling');
    expect(both).toContain('light.turn_off light.office_back_ceiling');
    expect(flat(row, 'lights off in the office')).toBe('no_match');
    // Said in one of the offices, "the office" is that one.
    expect(flat(row, 'office lights off', 'office_back')).toContain('light.turn_off light.office_back_ceiling');
    expect(flat(row, 'office lights off', 'office_back')).not.toContain('light.turn_off light.office_front_ceiling');
  });
});

describe('settings said to a room or a device without a verb', () => {
  it('a colour or a white said of a room means its lights; of nowhere known, nothing', () => {
    expect(flat(demo, 'warm white please', 'office')).toEqual(['light.turn_on light.office_ceiling {"color_temp_kelvin":2700}']);
    expect(flat(demo, 'make my room purple', 'kids_room')).toEqual(['light.turn_on light.kids_night_light {"color_name":"purple"}']);
    expect(flat(demo, 'warm white please')).toBe('no_match');
  });
  it('a named device and its number', () => {
    expect(flat(demo, 'thermostat twenty one and a half')).toEqual(['climate.set_temperature climate.thermostat {"temperature":21.5}']);
    expect(flat(demo, 'bedroom curtains open forty percent')).toEqual(['cover.set_cover_position cover.bedroom_curtains {"position":40}']);
    // Not a number with more after it, nor a room's number.
    expect(flat(demo, 'porch light 7 tonight')).toBe('no_match');
    expect(flat(demo, 'kitchen 20')).toBe('no_match');
  });
  it('"put the alarm on night" with a scene called "Night" is not two things to switch on', () => {
    const home = catalogFromSnapshot({
      entities: [
        { entity_id: 'alarm_control_panel.house', name: 'Alarm', state: 'disarmed' },
        { entity_id: 'scene.night', name: 'Night', state: 'scening' },
      ],
    });
    expect(flat(home, 'put the alarm on night')).toBe('no_match');
  });
});

describe('an accessible flat run by voice', () => {
  it('"lock the front door" where "front door" names the door\'s opener: the one lock whose name starts so', () => {
    expect(flat(studio, 'lock the front door')).toEqual(['lock.lock lock.nuki_front']);
    expect(flat(studio, 'is the front door locked?')).toEqual(['ask lock.nuki_front']);
    expect(flat(studio, 'open the front door')).toEqual(['cover.open_cover cover.front_door_opener']);
  });
  it('"set heat pump 22", "curtains a third open", "to 20 percent and warm"', () => {
    expect(flat(studio, 'set heat pump 22')).toEqual(['climate.set_temperature climate.ecodan_lr {"temperature":22}']);
    expect(flat(studio, 'living room curtains a third open')).toEqual(['cover.set_cover_position cover.lr_curtains {"position":33}']);
    expect(flat(studio, 'big light to 20 percent and warm')).toEqual(['light.turn_on light.lr_ceiling {"brightness_pct":20,"color_temp_kelvin":2700}']);
  });
  it('makes the robot beep', () => {
    expect(flat(studio, 'make the robot vacuum beep')).toEqual(['vacuum.locate vacuum.roborock_q7']);
  });
});

describe('names said with a kind word', () => {
  it('"the left bedside lamp" for a light called "Bedside Left"', () => {
    expect(flat(chalet, 'the left bedside lamp in the master bedroom to 20 percent please')).toEqual(['light.turn_on light.edelweiss_links {"brightness_pct":20}']);
  });
  it('"the hot tub lights": the lights beside the tub that share its word, never the tub', () => {
    expect(flat(chalet, 'turn the hot tub lights purple')).toEqual(['light.turn_on light.whirlpool_led {"color_name":"purple"}']);
    expect(flat(demo, 'turn on the kettle fan')).toBe('no_match');
  });
  it('two words in another order only where neither is a place', () => {
    expect(flat(demo, 'lights downstairs off')).toContain('light.turn_off light.kitchen_ceiling');
  });
});

describe('routines said first, oscillation started', () => {
  it('a routine by its name, then another command', () => {
    expect(flat(demo, 'movie night and turn off the kettle')).toEqual(['scene.turn_on scene.movie_night', 'switch.turn_off switch.kettle']);
  });
  it('"start the fan oscillating" starts it; "stop ... oscillating" stops it', () => {
    expect(flat(demo, 'start the desk fan oscillating')).toEqual(['fan.oscillate fan.desk_fan {"oscillating":true}']);
    expect(flat(demo, 'stop the desk fan oscillating')).toEqual(['fan.oscillate fan.desk_fan {"oscillating":false}']);
  });
});

describe('a family ranch', () => {
  it('a remark beside nothing to do is not a command: "what\'s for dinner" never starts the dinner scene', () => {
    expect(flat(ranch, "what's for dinner")).toBe('no_match');
    expect(flat(ranch, 'dinner')).toEqual(['scene.turn_on scene.family_dinner']);
  });
  it('"the deck lights" is the device called so, though another of its names is room + noun', () => {
    expect(flat(ranch, 'deck lights to 75 percent')).toEqual(['light.turn_on light.pool_deck {"brightness_pct":75}']);
  });
  it('"the outside lights" is the outside\'s lights, not the one whose alias ends so', () => {
    const outside = flat(ranch, 'turn on the outside lights');
    expect(outside).toContain('light.turn_on light.front_porch');
    expect(outside).toContain('light.turn_on light.coach_lights');
  });
});

describe('teens, sprinklers and wet sensors', () => {
  it('chat words and "em"', () => {
    expect(flat(ranch, 'turn the strip lights purple fr')).toEqual(['light.turn_on light.govee_strip_a {"color_name":"purple"}']);
    expect(flat(ranch, 'patio speakers are way too loud, turn em down')).toEqual(['media_player.volume_down media_player.patio_speakers']);
  });
  it('runs the sprinklers, and a sprinkler is never the water main', () => {
    expect(flat(ranch, 'run the front lawn sprinklers')).toEqual(['valve.open_valve valve.rachio_zone_1']);
    expect(flat(apartment, 'start the sprinklers')).toBe('no_match');
    expect(flat(demo, 'turn on the sprinklers')).toEqual(['valve.open_valve valve.garden_sprinklers']);
  });
  it('"are any of the leak sensors wet" asks them', () => {
    expect(flat(ranch, 'are any of the leak sensors wet')).toEqual(['ask binary_sensor.washer_leak', 'ask binary_sensor.water_heater_leak']);
  });
});

describe('never two opposite things to one device', () => {
  it('"turn off the porch light, I want it on" is not off-then-on', () => {
    expect(flat(demo, 'turn off the porch light, I want it on')).toBe('no_match');
    expect(flat(demo, 'turn the porch light on and off')).toBe('no_match');
  });
  it('"put the AC on heat" sets its mode', () => {
    expect(flat(apartment, "put baba's AC on heat, she is feeling cold")).toEqual(['climate.set_hvac_mode climate.daikin_room3 {"hvac_mode":"heat"}']);
  });
});

describe('settings of fewer-seen devices', () => {
  it('sets a split\'s swing and a humidifier\'s mode from their own lists', () => {
    expect(flat(lab, 'bedroom split to vertical')).toEqual(['climate.set_swing_mode climate.bedroom_split {"swing_mode":"vertical"}']);
    expect(flat(lab, 'put the bedroom humidifier on sleep')).toEqual(['humidifier.set_mode humidifier.levoit_oasismist {"mode":"sleep"}']);
  });
  it('does not drop a setting that is also a room\'s name ("the dehumidifier on laundry")', () => {
    expect(flat(lab, 'dehumidifier on laundry')).toBe('no_match');
  });
});

describe('ordinals before a numbered name', () => {
  it('"the second tree uplight", "the 3rd stair light"; "the first floor" stays a floor', () => {
    expect(flat(row, 'make the second tree uplight teal')).toEqual(['light.turn_on light.tree_uplight_2 {"color_name":"teal"}']);
    expect(flat(row, 'turn on the 3rd stair light')).toEqual(['light.turn_on light.stairs_top']);
    expect(flat(row, 'turn on the first floor lights')).toContain('light.turn_on light.office_front_ceiling');
    expect(flat(row, 'turn on the fifth tree uplight')).toBe('no_match');
  });
  it('"stair lights one and two": the second number is the next of the same family', () => {
    expect(flat(row, 'stair lights one and two on')).toEqual(['light.turn_on light.stairs_bottom', 'light.turn_on light.stairs_mid']);
    expect(flat(row, 'turn on stair light 1 and 3')).toEqual(['light.turn_on light.stairs_bottom', 'light.turn_on light.stairs_top']);
  });
});
