// What Hestia says back: short sentences built from the plan and the catalog's names and states.
import type { Catalog } from '../../catalog/catalog.js';
import type { Entity } from '../../catalog/types.js';
import type { Action } from '../../plan/types.js';

export function joinNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** An entity's name as spoken, with its area when another device has the same name ("Ceiling"). */
export function spokenName(e: Entity, catalog: Catalog): string {
  const area = catalog.area(e.area_id);
  if (!area || e.name.toLowerCase().includes(area.name.toLowerCase())) return e.name;
  for (const other of catalog.entities()) {
    if (other !== e && other.name.toLowerCase() === e.name.toLowerCase()) return `${area.name} ${e.name}`;
  }
  return e.name;
}

function targetPhrase(ids: readonly string[], catalog: Catalog): string {
  const names = ids.map((id) => {
    const e = catalog.entity(id);
    return e ? spokenName(e, catalog) : id;
  });
  if (names.length > 4) return `${names.length} devices`;
  return joinNames(names);
}

const PHRASES: Record<string, string> = {
  turn_on: 'Turning on', turn_off: 'Turning off', toggle: 'Toggling', open_cover: 'Opening',
  close_cover: 'Closing', stop_cover: 'Stopping', open_valve: 'Opening', close_valve: 'Closing',
  stop_valve: 'Stopping', lock: 'Locking', unlock: 'Unlocking', open: 'Opening', media_play: 'Playing',
  media_pause: 'Pausing', media_stop: 'Stopping', media_next_track: 'Skipping to the next track on',
  media_previous_track: 'Going back a track on', volume_up: 'Turning up', volume_down: 'Turning down',
  start: 'Starting', stop: 'Stopping', pause: 'Pausing',
  press: 'Pressing', alarm_arm_away: 'Arming (away)', alarm_arm_home: 'Arming (home)',
  alarm_arm_night: 'Arming (night)', alarm_disarm: 'Disarming', increase_speed: 'Speeding up',
  decrease_speed: 'Slowing down',
};

function actionSentence(a: Action, catalog: Catalog): string {
  const who = targetPhrase(a.entity_ids, catalog);
  const d = a.data;
  if (a.domain === 'scene' || a.domain === 'script') return `Activating ${who}.`;
  if (a.service === 'return_to_base') return `Sending ${who} back to its dock.`;
  if (a.service === 'volume_mute') return `${d.is_volume_muted ? 'Muting' : 'Unmuting'} ${who}.`;
  if (a.service === 'volume_set') return `Setting ${who} volume to ${Math.round(Number(d.volume_level) * 100)} percent.`;
  if (a.service === 'set_temperature') return `Setting ${who} to ${String(d.temperature)} degrees.`;
  if (a.service === 'set_hvac_mode') return `Setting ${who} to ${String(d.hvac_mode).replace('_', ' ')}.`;
  if (a.service === 'select_source') return `Switching ${who} to ${String(d.source)}.`;
  if (a.service === 'select_option') return `Setting ${who} to ${String(d.option)}.`;
  if (a.service === 'set_preset_mode') return `Setting ${who} to ${String(d.preset_mode)}.`;
  if (a.service === 'set_percentage') return `Setting ${who} to ${String(d.percentage)} percent.`;
  if (a.service === 'set_cover_position' || a.service === 'set_valve_position') return `Setting ${who} to ${String(d.position)} percent open.`;
  if (a.service === 'oscillate') return `${d.oscillating ? 'Starting' : 'Stopping'} oscillation on ${who}.`;
  if (a.service === 'set_humidity') return `Setting ${who} to ${String(d.humidity)} percent humidity.`;
  if (a.domain === 'light' && a.service === 'turn_on') {
    const parts: string[] = [];
    if (d.brightness_pct !== undefined) parts.push(`${String(d.brightness_pct)} percent`);
    if (d.brightness_step_pct !== undefined) return `${Number(d.brightness_step_pct) > 0 ? 'Brightening' : 'Dimming'} ${who}.`;
    if (d.color_name !== undefined) parts.push(String(d.color_name));
    if (d.color_temp_kelvin !== undefined) parts.push(`${String(d.color_temp_kelvin)} kelvin`);
    if (parts.length) return `Setting ${who} to ${joinNames(parts)}.`;
  }
  return `${PHRASES[a.service] ?? `Running ${a.service} on`} ${who}.`;
}

export function actionSpeech(actions: Action[], catalog: Catalog): string {
  return actions.map((a) => actionSentence(a, catalog)).join(' ');
}

/** How an entity's state reads aloud: "locked", "21.4 °C", "on at 40 percent". */
export function describeState(e: Entity): string {
  const a = e.attributes;
  const unit = typeof a.unit_of_measurement === 'string' ? a.unit_of_measurement : '';
  if (e.state === 'unavailable' || e.state === 'unknown') return 'unavailable';
  switch (e.domain) {
    case 'sensor':
      return unit ? `${e.state} ${unit}` : e.state;
    case 'binary_sensor': {
      const on = e.state === 'on';
      const words: Record<string, [string, string]> = {
        door: ['open', 'closed'], window: ['open', 'closed'], garage_door: ['open', 'closed'],
        motion: ['detecting motion', 'clear'], occupancy: ['occupied', 'clear'], moisture: ['wet', 'dry'],
        smoke: ['detecting smoke', 'clear'], opening: ['open', 'closed'],
      };
      const pair = words[e.device_class ?? ''] ?? ['on', 'off'];
      return on ? pair[0] : pair[1];
    }
    case 'climate': {
      const u = typeof a.temperature_unit === 'string' ? a.temperature_unit : 'degrees';
      const parts = [e.state === 'off' ? 'off' : `set to ${e.state.replace('_', ' ')}`];
      if (typeof a.temperature === 'number') parts.push(`target ${a.temperature} ${u}`);
      if (typeof a.current_temperature === 'number') parts.push(`currently ${a.current_temperature} ${u}`);
      return parts.join(', ');
    }
    case 'light':
      if (e.state === 'on' && typeof a.brightness === 'number' && a.brightness > 0) {
        return `on at ${Math.round((a.brightness / 255) * 100)} percent`;
      }
      return e.state;
    case 'cover':
      if (typeof a.current_position === 'number' && e.state === 'open' && a.current_position < 100) {
        return `${a.current_position} percent open`;
      }
      return e.state;
    case 'media_player':
      if (e.state === 'playing' && typeof a.media_title === 'string') return `playing ${a.media_title}`;
      return e.state;
    default:
      return e.state.replace(/_/g, ' ');
  }
}
