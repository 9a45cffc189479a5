// From an understood command and the entities it targets to Home Assistant style service calls.
// Each (intent, domain, values) either maps to exactly one service with valid data, or to null:
// a value the device cannot take (a colour on a white-only bulb, 90 degrees on a thermostat that
// stops at 30) is not guessed around, it leaves the request to the model or to a human.
import type { Entity } from '../../catalog/types.js';
import { nameKey } from '../../catalog/normalize.js';
import type { Attr, Tag } from './lexicon.js';
import type { Command, Value } from './interpret.js';

export interface Call {
  service: string;
  data: Record<string, string | number | boolean>;
}

const ON_OFF = new Set(['light', 'switch', 'fan', 'input_boolean', 'media_player', 'climate', 'humidifier', 'siren']);

/**
 * Words of a device that opens or shuts something real: "open the garage door" on a relay called
 * "Garage Door" is not "turn it on" (nor would it get the confirmation a garage cover gets).
 */
const OPENINGS = new Set(['door', 'gate', 'garage', 'window', 'blind', 'shade', 'curtain', 'shutter', 'awning', 'valve', 'lock',
  'hatch', 'flap', 'lid', 'vent', 'skylight', 'cover', 'tap', 'latch', 'barrier', 'opener', 'drape', 'louvre', 'louver', 'pergola']);

/**
 * "open the light", "close the TV": in many languages the verb for switching a device is the one
 * for opening a door, and speakers carry it into English. Read so for devices that only switch,
 * never for one whose name says it opens something.
 */
export function opensAsSwitch(e: Entity): boolean {
  if (!ON_OFF.has(e.domain) || e.domain === 'siren') return false;
  const words = `${e.name} ${e.object_id}`.toLowerCase().split(/[^a-z]+/).map((w) => w.replace(/s$/, ''));
  return !words.some((w) => OPENINGS.has(w));
}

/** Domains an intent can apply to; used to narrow nouns such as "door". */
export function domainsFor(cmd: Command): Set<string> | undefined {
  switch (cmd.intent) {
    case 'lock':
    case 'unlock':
      return new Set(['lock']);
    case 'open':
    case 'close':
      // Not locks: "open the front door" may mean unlatch, unlock or a door sensor; the model
      // (and the confirmation it will need) is the better judge. Devices that only switch when
      // the verb and a device are said together ("open the light"), never for a bare room ("open
      // the kitchen") nor an intent carried over ("open the blind and let some light in").
      return cmd.verbText !== undefined && !cmd.borrowedTargets && cmd.targets.length > 0 && cmd.targets.every((t) => t.entitySpans.length > 0 || t.nouns.length > 0 || t.pronoun)
        ? new Set(['cover', 'valve', ...[...ON_OFF].filter((d) => d !== 'siren')])
        : new Set(['cover', 'valve']);
    case 'arm':
    case 'arm_away':
    case 'arm_home':
    case 'arm_night':
    case 'disarm':
      return new Set(['alarm_control_panel']);
    case 'dock':
    case 'clean':
    case 'locate':
      return new Set(['vacuum']);
    case 'reverse':
    case 'forward':
    case 'oscillate_on':
    case 'oscillate_off':
      return new Set(['fan']);
    case 'play':
    case 'next':
    case 'previous':
    case 'mute':
    case 'unmute':
      return new Set(['media_player']);
    case 'set':
    case undefined: {
      // "set downstairs to 21", "top floor to nineteen and a half": a room or floor given a
      // temperature means its thermostat (the resolver still wants exactly one there).
      const v = cmd.values[0];
      const room = cmd.targets.length > 0 && cmd.targets.every((t) => t.entitySpans.every((s) => s.alsoPlace) && t.nouns.length === 0 && !t.pronoun && !t.everything);
      const warmth = v !== undefined && v.number !== undefined && !v.by && (v.unit === 'degrees' || (v.unit === undefined && v.number >= 10 && v.number <= 32));
      return room && cmd.values.length === 1 && !cmd.rel && cmd.attrs.every((a) => a === 'temperature') && warmth ? new Set(['climate']) : undefined;
    }
    default:
      return undefined;
  }
}

const num = (attrs: Entity['attributes'], key: string): number | undefined => {
  const v = attrs[key];
  return typeof v === 'number' ? v : undefined;
};
const list = (attrs: Entity['attributes'], key: string): string[] => {
  const v = attrs[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};
const readingOf = <T extends Tag['t']>(v: Value, t: T): Extract<Tag, { t: T }> | undefined =>
  v.readings.find((r) => r.t === t) as Extract<Tag, { t: T }> | undefined;

function colorModes(e: Entity): string[] {
  return list(e.attributes, 'supported_color_modes');
}
const COLOR_MODES = ['hs', 'rgb', 'xy', 'rgbw', 'rgbww'];
const canDim = (e: Entity): boolean => {
  const modes = colorModes(e);
  return modes.length === 0 || modes.some((m) => m !== 'onoff');
};
const canColor = (e: Entity): boolean => colorModes(e).some((m) => COLOR_MODES.includes(m));
const canColorTemp = (e: Entity): boolean => colorModes(e).includes('color_temp');
const clamp = (v: number, lo: number | undefined, hi: number | undefined): number =>
  Math.min(hi ?? Infinity, Math.max(lo ?? -Infinity, v));
const round = (v: number, step = 0.5): number => Math.round(v / step) * step;

function lightData(e: Entity, values: Value[]): Call['data'] | null {
  const data: Call['data'] = {};
  for (const v of values) {
    if (v.number !== undefined) {
      if (v.unit === 'kelvin' || (v.unit === undefined && v.number >= 1000)) {
        // Kelvin asked beyond what the bulb does goes to its nearest limit, as the words do.
        if (!canColorTemp(e) || v.by || v.number > 20000) return null;
        data.color_temp_kelvin = clamp(v.number, num(e.attributes, 'min_color_temp_kelvin'), num(e.attributes, 'max_color_temp_kelvin'));
      } else if ((v.unit === 'percent' || v.unit === undefined) && v.number >= 0 && v.number <= 100) {
        if (!canDim(e)) return null;
        if (v.by) return null;
        data.brightness_pct = v.number;
      } else return null;
      continue;
    }
    const color = readingOf(v, 'color');
    const ct = readingOf(v, 'ct');
    const level = readingOf(v, 'level');
    if (color) {
      // "make it yellow" on a bulb that only does shades of white: the yellowish one, warm white.
      if (!canColor(e) && color.name === 'yellow' && canColorTemp(e)) {
        data.color_temp_kelvin = clamp(2700, num(e.attributes, 'min_color_temp_kelvin'), num(e.attributes, 'max_color_temp_kelvin'));
        continue;
      }
      if (!canColor(e)) return null;
      data.color_name = color.name;
    } else if (ct) {
      if (!canColorTemp(e)) return null;
      data.color_temp_kelvin = clamp(ct.kelvin, num(e.attributes, 'min_color_temp_kelvin'), num(e.attributes, 'max_color_temp_kelvin'));
    } else if (level) {
      if (!canDim(e)) return null;
      data.brightness_pct = level.value === 'max' ? 100 : level.value === 'half' ? 50 : 1;
    } else return null;
  }
  return data;
}

/** A choice the entity offers under `attr`, matched the way names are (case, spacing). */
function offered(e: Entity, attr: string, v: Value): string | undefined {
  // "night mode" is also an alarm's mode: the words said count as much as the reading.
  const bare = v.text.replace(/^(to|in|on|for|into) /, '');
  const said = [readingOf(v, 'mode')?.mode, v.text, bare, bare.replace(/ (mode|setting|preset)$/, '')];
  const keys = new Set(said.filter((x): x is string => x !== undefined).map((x) => nameKey(x).join(' ')));
  return list(e.attributes, attr).find((c) => keys.has(nameKey(c).join(' ')));
}

function climateCall(e: Entity, values: Value[], attrs: Attr[] = []): Call | null {
  if (values.length !== 1) return null;
  const v = values[0] as Value;
  if (attrs.includes('speed')) {
    // "the heat pump fan to quiet": the unit's own fan modes.
    const fanMode = offered(e, 'fan_modes', v) ?? (readingOf(v, 'speed') ? list(e.attributes, 'fan_modes').find((m) => m === v.text) : undefined);
    return fanMode ? { service: 'set_fan_mode', data: { fan_mode: fanMode } } : null;
  }
  if (v.number !== undefined) {
    if (v.unit !== undefined && v.unit !== 'degrees') return null;
    if (v.by) return null;
    const lo = num(e.attributes, 'min_temp');
    const hi = num(e.attributes, 'max_temp');
    if ((lo !== undefined && v.number < lo) || (hi !== undefined && v.number > hi)) return null;
    return { service: 'set_temperature', data: { temperature: v.number } };
  }
  const modes = list(e.attributes, 'hvac_modes');
  let mode = readingOf(v, 'mode')?.mode ?? (/^(heat|heating)$/.test(v.text) ? 'heat' : v.text === 'cool' ? 'cool' : undefined);
  // "auto" on a thermostat whose automatic mode is heat_cool (a range it holds either way).
  if (mode === 'auto' && !modes.includes('auto') && modes.includes('heat_cool')) mode = 'heat_cool';
  if (mode && modes.includes(mode)) return { service: 'set_hvac_mode', data: { hvac_mode: mode } };
  const preset = offered(e, 'preset_modes', v);
  if (preset) return { service: 'set_preset_mode', data: { preset_mode: preset } };
  // "the office split to swing vertical": one of the unit's own swing settings.
  const swing = offered(e, 'swing_modes', v);
  if (swing) return { service: 'set_swing_mode', data: { swing_mode: swing } };
  return null;
}

function fanCall(e: Entity, values: Value[]): Call | null {
  if (values.length !== 1) return null;
  const v = values[0] as Value;
  if (v.number !== undefined) {
    if ((v.unit !== undefined && v.unit !== 'percent') || v.by || v.number < 0 || v.number > 100) return null;
    if (v.unit === undefined && v.number <= 10) {
      // "the fan to 2" is its second speed, not 2 percent: a speed only where the fan counts them.
      const step = num(e.attributes, 'percentage_step');
      if (!step || !Number.isInteger(v.number) || v.number * step > 100.5) return null;
      return { service: 'set_percentage', data: { percentage: Math.min(100, Math.round(v.number * step)) } };
    }
    return { service: 'set_percentage', data: { percentage: v.number } };
  }
  const speed = readingOf(v, 'speed');
  if (speed) return { service: 'set_percentage', data: { percentage: speed.pct } };
  const level = readingOf(v, 'level');
  if (level && level.value !== 'min') return { service: 'set_percentage', data: { percentage: level.value === 'max' ? 100 : 50 } };
  const preset = offered(e, 'preset_modes', v);
  if (preset) return { service: 'set_preset_mode', data: { preset_mode: preset } };
  return null;
}

function positionCall(domain: 'cover' | 'valve', v: Value): Call | null {
  const [open, close, setPos] = domain === 'cover'
    ? ['open_cover', 'close_cover', 'set_cover_position']
    : ['open_valve', 'close_valve', 'set_valve_position'];
  if (v.number !== undefined) {
    if ((v.unit !== undefined && v.unit !== 'percent') || v.by || v.number < 0 || v.number > 100) return null;
    return { service: setPos, data: { position: Math.round(v.number) } };
  }
  const level = readingOf(v, 'level');
  if (level?.value === 'half') return { service: setPos, data: { position: 50 } };
  if (level?.value === 'max') return { service: open, data: {} };
  if (level?.value === 'min') return { service: close, data: {} };
  return null;
}

function volumeCall(values: Value[], attrs: Attr[]): Call | null {
  if (values.length !== 1 || !attrs.includes('volume')) return null;
  const v = values[0] as Value;
  const level = readingOf(v, 'level');
  if (level && level.value !== 'min') return { service: 'volume_set', data: { volume_level: level.value === 'max' ? 1 : 0.5 } };
  if (v.number === undefined || (v.unit !== undefined && v.unit !== 'percent') || v.by || v.number > 100) return null;
  // "volume 5": on a scale of ten (as some assistants count) or five percent? Not guessed.
  if (v.unit === undefined && v.number <= 10) return null;
  return { service: 'volume_set', data: { volume_level: Math.round(v.number) / 100 } };
}

/** A relative change ("brighter", "turn up the heat", "quieter") for one entity. */
function relativeCall(cmd: Command, e: Entity): Call | null {
  const rel = cmd.rel as NonNullable<Command['rel']>;
  const attr = rel.attr ?? (cmd.attrs.length === 1 ? cmd.attrs[0] : undefined);
  const step = cmd.values.find((v) => v.by && v.number !== undefined);
  const target = cmd.values.find((v) => !v.by);
  if (cmd.values.length > 1) return null;
  // "cool it down": on a thermostat a direction with a word ("cool") is not a mode to set.
  if (target && e.domain === 'climate' && target.number === undefined) return null;
  if (target) {
    // "turn the heat up to 22", "dim the lights to 30 percent": an absolute value after all; on a
    // player, "turn it up to 60 percent" is its volume.
    const attrs = e.domain === 'media_player' && cmd.attrs.length === 0 ? ['volume' as const] : cmd.attrs;
    return valueCall({ ...cmd, attrs, rel: undefined, intent: 'set' }, e);
  }
  switch (e.domain) {
    case 'light': {
      if (attr === 'temperature' && step?.unit === 'kelvin') {
        // "500 kelvin cooler": a cooler white is more kelvin, from where the bulb is now.
        const now = num(e.attributes, 'color_temp_kelvin');
        if (!canColorTemp(e) || now === undefined) return null;
        const next = now - rel.dir * (step.number as number);
        const lo = num(e.attributes, 'min_color_temp_kelvin');
        const hi = num(e.attributes, 'max_color_temp_kelvin');
        if ((lo !== undefined && next < lo) || (hi !== undefined && next > hi)) return null;
        return { service: 'turn_on', data: { color_temp_kelvin: next } };
      }
      if ((attr && attr !== 'brightness') || !canDim(e)) return null;
      const by = step ? step.number as number : 25;
      if (step && step.unit !== undefined && step.unit !== 'percent') return null;
      return { service: 'turn_on', data: { brightness_step_pct: rel.dir * by } };
    }
    case 'climate': {
      if (attr && attr !== 'temperature') return null;
      const current = num(e.attributes, 'temperature');
      if (current === undefined) return null;
      if (step && step.unit !== undefined && step.unit !== 'degrees') return null;
      const next = round(current + rel.dir * (step ? step.number as number : 1));
      const lo = num(e.attributes, 'min_temp');
      const hi = num(e.attributes, 'max_temp');
      if ((lo !== undefined && next < lo) || (hi !== undefined && next > hi)) return null;
      return { service: 'set_temperature', data: { temperature: next } };
    }
    case 'media_player':
      if ((attr && attr !== 'volume') || step) return null;
      return { service: rel.dir > 0 ? 'volume_up' : 'volume_down', data: {} };
    case 'fan':
      if ((attr && attr !== 'speed') || step) return null;
      return { service: rel.dir > 0 ? 'increase_speed' : 'decrease_speed', data: {} };
    case 'cover': {
      if (attr && attr !== 'position') return null;
      // "raise the blinds" / "lower the shades"; "turn up the blinds" is not a phrase people use.
      // "put the blinds down", "pull the shades up", "blinds down" (no verb at all) say it too.
      if (!/^(raise|lower|raise up|lower down)$/.test(rel.text) && !(/^(up|down)$/.test(rel.text) && /^(put|pull|bring|move|let|)$/.test(cmd.verbText ?? ''))) return null;
      if (!step) return attr ? null : { service: rel.dir > 0 ? 'open_cover' : 'close_cover', data: {} };
      // "lower the blind another 20 percent": from where it is now.
      const now = num(e.attributes, 'current_position');
      if (now === undefined || (step.unit !== undefined && step.unit !== 'percent')) return null;
      const next = now + rel.dir * (step.number as number);
      return next < 0 || next > 100 ? null : { service: 'set_cover_position', data: { position: next } };
    }
    default:
      return null;
  }
}

/** A command that carries values: "set X to Y", "X to 30 percent", "turn on X at 50 percent". */
function valueCall(cmd: Command, e: Entity): Call | null {
  switch (e.domain) {
    case 'light': {
      if (cmd.attrs.some((a) => a !== 'brightness' && a !== 'color')) return null;
      const data = lightData(e, cmd.values);
      return data && Object.keys(data).length ? { service: 'turn_on', data } : null;
    }
    case 'climate':
      if (cmd.attrs.some((a) => a !== 'temperature' && a !== 'mode' && a !== 'speed')) return null;
      return climateCall(e, cmd.values, cmd.attrs);
    case 'fan':
      if (cmd.attrs.some((a) => a !== 'speed' && a !== 'mode')) return null;
      return fanCall(e, cmd.values);
    case 'cover':
    case 'valve':
      if (cmd.attrs.some((a) => a !== 'position') || cmd.values.length !== 1) return null;
      if (cmd.intent === 'close') return null;
      return positionCall(e.domain, cmd.values[0] as Value);
    case 'media_player': {
      const source = cmd.values.length === 1 && cmd.attrs.length === 0 ? offered(e, 'source_list', cmd.values[0] as Value) : undefined;
      if (source) return { service: 'select_source', data: { source } };
      return volumeCall(cmd.values, cmd.attrs);
    }
    case 'humidifier': {
      // "the humidifier to sleep mode": one of its own modes.
      const mode = cmd.values.length === 1 && cmd.attrs.every((a) => a === 'mode') ? offered(e, 'available_modes', cmd.values[0] as Value) : undefined;
      if (mode) return { service: 'set_mode', data: { mode } };
      // "set the dehumidifier to 45 percent": a humidifier's only number is its target humidity.
      const v = cmd.values[0];
      if (cmd.values.length !== 1 || v?.number === undefined || v.by || (v.unit !== undefined && v.unit !== 'percent')) return null;
      if (cmd.attrs.some((a) => a !== 'humidity')) return null;
      const lo = num(e.attributes, 'min_humidity') ?? 0;
      const hi = num(e.attributes, 'max_humidity') ?? 100;
      if (v.number < lo || v.number > hi) return null;
      return { service: 'set_humidity', data: { humidity: v.number } };
    }
    default:
      return null;
  }
}

export function callFor(cmd: Command, e: Entity): Call | null {
  const d = e.domain;
  // "open the blinds a little" has no exact meaning; "a little brighter" does.
  if (cmd.partial && !cmd.rel) return null;
  // "a little bit brighter, 80 percent": a little, or 80 more? Not guessed.
  if (cmd.partial && cmd.values.some((v) => v.number !== undefined)) return null;
  if (cmd.rel && cmd.intent !== 'on' && cmd.intent !== 'off') return relativeCall(cmd, e);
  // "put the heat pump on boost" with no boost to set: the direction said is not dropped.
  if (cmd.rel && cmd.intent === 'on' && cmd.values.length === 0) return null;
  if (cmd.values.length && d === 'alarm_control_panel' && (cmd.intent === 'arm' || cmd.intent === 'on' || cmd.intent === 'set')) {
    const mode = cmd.values.length === 1 ? readingOf(cmd.values[0] as Value, 'mode')?.mode : undefined;
    const svc: Record<string, string> = { armed_home: 'alarm_arm_home', armed_away: 'alarm_arm_away', armed_night: 'alarm_arm_night' };
    return mode && svc[mode] ? { service: svc[mode] as string, data: {} } : null;
  }
  if (cmd.values.length) {
    if (cmd.intent === 'off') return null;
    if (cmd.intent === 'set' || cmd.intent === 'on' || cmd.intent === 'open' || cmd.intent === undefined) return valueCall(cmd, e);
    // "play radio 4 in the kitchen": a source to play is a source to select.
    if (cmd.intent === 'play' && d === 'media_player') {
      const call = valueCall(cmd, e);
      return call?.service === 'select_source' ? call : null;
    }
    return null;
  }
  if (cmd.attrs.length && !(cmd.intent === 'mute' || cmd.intent === 'unmute')) return null;
  switch (cmd.intent) {
    case 'on':
      if (ON_OFF.has(d) || d === 'scene' || d === 'script') return { service: 'turn_on', data: {} };
      if (d === 'alarm_control_panel') return { service: 'alarm_arm_away', data: {} };
      if (d === 'valve') return { service: 'open_valve', data: {} };
      if (d === 'vacuum') return { service: 'start', data: {} };
      return null;
    case 'off':
      if (ON_OFF.has(d) || d === 'script') return { service: 'turn_off', data: {} };
      if (d === 'alarm_control_panel') return { service: 'alarm_disarm', data: {} };
      if (d === 'valve') return { service: 'close_valve', data: {} };
      return null;
    case 'toggle':
      return ON_OFF.has(d) || d === 'cover' ? { service: 'toggle', data: {} } : null;
    case 'open':
      if (d === 'cover') return { service: 'open_cover', data: {} };
      if (d === 'valve') return { service: 'open_valve', data: {} };
      return opensAsSwitch(e) ? { service: 'turn_on', data: {} } : null;
    case 'close':
      if (d === 'cover') return { service: 'close_cover', data: {} };
      if (d === 'valve') return { service: 'close_valve', data: {} };
      return opensAsSwitch(e) ? { service: 'turn_off', data: {} } : null;
    case 'stop': {
      // "stop the sprinkler" means stop the water, not stop a valve halfway through moving.
      const svc: Record<string, string> = { cover: 'stop_cover', vacuum: 'stop', media_player: 'media_stop', valve: 'close_valve' };
      return svc[d] ? { service: svc[d] as string, data: {} } : null;
    }
    case 'lock':
      return d === 'lock' ? { service: 'lock', data: {} } : null;
    case 'unlock':
      return d === 'lock' ? { service: 'unlock', data: {} } : null;
    case 'play':
      return d === 'media_player' ? { service: 'media_play', data: {} } : null;
    case 'pause':
      if (d === 'media_player') return { service: 'media_pause', data: {} };
      return d === 'vacuum' ? { service: 'pause', data: {} } : null;
    case 'next':
      return d === 'media_player' ? { service: 'media_next_track', data: {} } : null;
    case 'previous':
      return d === 'media_player' ? { service: 'media_previous_track', data: {} } : null;
    case 'mute':
    case 'unmute':
      return d === 'media_player' ? { service: 'volume_mute', data: { is_volume_muted: cmd.intent === 'mute' } } : null;
    case 'start':
    case 'activate':
      if (d === 'vacuum') return { service: 'start', data: {} };
      // "run the front lawn sprinklers": water starts to flow (the policy asks first).
      if (d === 'valve' && cmd.intent === 'start') return { service: 'open_valve', data: {} };
      if (d === 'scene' || d === 'script') return { service: 'turn_on', data: {} };
      if (d === 'button' && cmd.intent === 'activate') return { service: 'press', data: {} };
      if (d === 'media_player') return { service: 'media_play', data: {} };
      if (d === 'light' || d === 'switch' || d === 'fan' || d === 'input_boolean') return { service: 'turn_on', data: {} };
      return null;
    case 'set':
      return d === 'scene' ? { service: 'turn_on', data: {} } : null;
    case 'deactivate':
      return ON_OFF.has(d) ? { service: 'turn_off', data: {} } : null;
    case 'arm':
    case 'arm_away':
      return d === 'alarm_control_panel' ? { service: 'alarm_arm_away', data: {} } : null;
    case 'arm_home':
      return d === 'alarm_control_panel' ? { service: 'alarm_arm_home', data: {} } : null;
    case 'arm_night':
      return d === 'alarm_control_panel' ? { service: 'alarm_arm_night', data: {} } : null;
    case 'disarm':
      return d === 'alarm_control_panel' ? { service: 'alarm_disarm', data: {} } : null;
    case 'dock':
      return d === 'vacuum' ? { service: 'return_to_base', data: {} } : null;
    case 'locate':
      return d === 'vacuum' ? { service: 'locate', data: {} } : null;
    case 'clean':
      return d === 'vacuum' ? { service: 'start', data: {} } : null;
    case 'press':
      return d === 'button' ? { service: 'press', data: {} } : null;
    case 'oscillate_on':
    case 'oscillate_off':
      return d === 'fan' ? { service: 'oscillate', data: { oscillating: cmd.intent === 'oscillate_on' } } : null;
    case 'reverse':
    case 'forward':
      // Only a fan that reports a direction can change it.
      return d === 'fan' && typeof e.attributes.direction === 'string' ? { service: 'set_direction', data: { direction: cmd.intent } } : null;
    default:
      return null;
  }
}
