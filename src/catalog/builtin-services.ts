// The services Hestia knows for homes that are not described by Home Assistant (snapshot files,
// MQTT-only homes). Names and data fields follow Home Assistant's service definitions so that a
// plan means the same thing whichever executor runs it.
import type { FieldSpec, ServiceSpec } from './types.js';

const pct: FieldSpec = { type: 'number', min: 0, max: 100 };
const stepPct: FieldSpec = { type: 'number', min: -100, max: 100 };
const transition: FieldSpec = { type: 'number', min: 0, max: 300 };

const lightOn: Record<string, FieldSpec> = {
  brightness_pct: pct,
  brightness_step_pct: stepPct,
  color_name: { type: 'string' },
  color_temp_kelvin: { type: 'integer', min: 1000, max: 12000, minAttr: 'min_color_temp_kelvin', maxAttr: 'max_color_temp_kelvin' },
  rgb_color: { type: 'rgb' },
  transition,
};

const table: Record<string, Record<string, Record<string, FieldSpec>>> = {
  light: { turn_on: lightOn, turn_off: { transition }, toggle: {} },
  switch: { turn_on: {}, turn_off: {}, toggle: {} },
  input_boolean: { turn_on: {}, turn_off: {}, toggle: {} },
  fan: {
    turn_on: { percentage: pct },
    turn_off: {},
    toggle: {},
    set_percentage: { percentage: { ...pct, required: true } },
    increase_speed: { percentage_step: pct },
    decrease_speed: { percentage_step: pct },
    set_preset_mode: { preset_mode: { type: 'string', enumAttr: 'preset_modes', required: true } },
    oscillate: { oscillating: { type: 'boolean', required: true } },
    set_direction: { direction: { type: 'string', enum: ['forward', 'reverse'], required: true } },
  },
  cover: {
    open_cover: {},
    close_cover: {},
    stop_cover: {},
    toggle: {},
    set_cover_position: { position: { ...pct, type: 'integer', required: true } },
  },
  climate: {
    turn_on: {},
    turn_off: {},
    set_temperature: {
      temperature: { type: 'number', min: -50, max: 100, minAttr: 'min_temp', maxAttr: 'max_temp', required: true },
    },
    set_hvac_mode: { hvac_mode: { type: 'string', enumAttr: 'hvac_modes', required: true } },
    set_preset_mode: { preset_mode: { type: 'string', enumAttr: 'preset_modes', required: true } },
    set_fan_mode: { fan_mode: { type: 'string', enumAttr: 'fan_modes', required: true } },
    set_swing_mode: { swing_mode: { type: 'string', enumAttr: 'swing_modes', required: true } },
  },
  media_player: {
    turn_on: {},
    turn_off: {},
    toggle: {},
    media_play: {},
    media_pause: {},
    media_play_pause: {},
    media_stop: {},
    media_next_track: {},
    media_previous_track: {},
    volume_set: { volume_level: { type: 'number', min: 0, max: 1, required: true } },
    volume_up: {},
    volume_down: {},
    volume_mute: { is_volume_muted: { type: 'boolean', required: true } },
    select_source: { source: { type: 'string', enumAttr: 'source_list', required: true } },
  },
  scene: { turn_on: { transition } },
  script: { turn_on: {}, turn_off: {} },
  button: { press: {} },
  lock: { lock: {}, unlock: { code: { type: 'string' } }, open: { code: { type: 'string' } } },
  vacuum: { start: {}, stop: {}, pause: {}, return_to_base: {}, locate: {}, clean_spot: {} },
  valve: {
    open_valve: {},
    close_valve: {},
    stop_valve: {},
    toggle: {},
    set_valve_position: { position: { ...pct, type: 'integer', required: true } },
  },
  alarm_control_panel: {
    alarm_arm_home: { code: { type: 'string' } },
    alarm_arm_away: { code: { type: 'string' } },
    alarm_arm_night: { code: { type: 'string' } },
    alarm_disarm: { code: { type: 'string' } },
  },
  humidifier: {
    turn_on: {},
    turn_off: {},
    toggle: {},
    set_humidity: { humidity: { type: 'integer', min: 0, max: 100, minAttr: 'min_humidity', maxAttr: 'max_humidity', required: true } },
    set_mode: { mode: { type: 'string', enumAttr: 'available_modes', required: true } },
  },
  input_select: { select_option: { option: { type: 'string', enumAttr: 'options', required: true } } },
  select: { select_option: { option: { type: 'string', enumAttr: 'options', required: true } } },
  input_number: { set_value: { value: { type: 'number', minAttr: 'min', maxAttr: 'max', required: true } } },
  number: { set_value: { value: { type: 'number', minAttr: 'min', maxAttr: 'max', required: true } } },
};

export function builtinServices(): ServiceSpec[] {
  const out: ServiceSpec[] = [];
  for (const [domain, services] of Object.entries(table)) {
    for (const [service, fields] of Object.entries(services)) out.push({ domain, service, fields });
  }
  return out;
}

/** Domains whose entities can only be read (sensors and the like). */
export const READ_ONLY_DOMAINS = new Set(['sensor', 'binary_sensor', 'weather', 'sun', 'person', 'device_tracker', 'zone']);
