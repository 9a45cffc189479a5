// The catalog check: a plan may only touch entities that exist and are exposed, call services that
// exist for their domain, and pass data the service takes, within the limits of the field and of
// each entity (a thermostat's min_temp, a bulb's colour temperature range, a player's sources).
// Pure: (plan, catalog) -> problems; an empty list means the plan fits the home.
import type { Catalog } from '../catalog/catalog.js';
import type { Entity, FieldSpec } from '../catalog/types.js';
import type { ErrorCode } from '../errors.js';
import type { Action } from '../plan/types.js';
import { isCssColourName } from './css-colours.js';
import { joinWords, nameOf } from './entity-names.js';

export interface CheckProblem {
  code: ErrorCode;
  /** For logs and error.message: names the entity id and the field. */
  message: string;
  /** For speech: the device's name, no ids ("Thermostat only goes up to 30"). */
  say: string;
  /** JSON pointer into the plan, as ajv reports schema problems: /actions/0/data/brightness_pct. */
  path: string;
  entity_id?: string;
  field?: string;
}

/** The part of a plan the catalog check reads. */
export interface PlanTargets {
  actions: readonly Action[];
  query_entity_ids: readonly string[];
}

type DataValue = Action['data'][string];

const COLOUR_MODES = new Set(['hs', 'rgb', 'rgbw', 'rgbww', 'xy']);
const BRIGHTNESS_FIELDS = new Set(['brightness_pct', 'brightness_step_pct', 'brightness', 'brightness_step']);
const COLOUR_FIELDS = new Set(['color_name', 'rgb_color', 'rgbw_color', 'rgbww_color', 'hs_color', 'xy_color']);
const COLOUR_TEMP_FIELDS = new Set(['color_temp_kelvin', 'color_temp', 'kelvin']);

/**
 * Ranges Home Assistant itself enforces on these fields, applied when a catalog's service
 * description (from HA or a snapshot) leaves them out.
 */
const KNOWN_LIMITS: Record<string, { min: number; max: number }> = {
  brightness_pct: { min: 0, max: 100 },
  brightness_step_pct: { min: -100, max: 100 },
  volume_level: { min: 0, max: 1 },
  position: { min: 0, max: 100 },
  percentage: { min: 0, max: 100 },
};

const LABELS: Record<string, string> = {
  brightness_pct: 'brightness',
  brightness_step_pct: 'brightness step',
  color_temp_kelvin: 'colour temperature',
  color_name: 'colour',
  rgb_color: 'colour',
  volume_level: 'volume',
  hvac_mode: 'mode',
  preset_mode: 'preset',
  fan_mode: 'fan speed',
  percentage: 'speed',
  is_volume_muted: 'mute',
};

/**
 * Float noise a planner's arithmetic leaves behind (0.3 + 0.1, 50.00000001) is not a reason to
 * refuse: values this close to a whole number count as that number.
 */
export const NUMBER_NOISE = 1e-6;

/** The value with float noise around a whole number removed. */
export function snapNumber(value: number): number {
  const whole = Math.round(value);
  return Math.abs(value - whole) <= NUMBER_NOISE ? whole : value;
}

const words = (s: string): string => s.replace(/_/g, ' ');
const label = (field: string): string => LABELS[field] ?? words(field);
const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

function numberAttr(entity: Entity, name: string | undefined): number | undefined {
  if (!name) return undefined;
  const v = entity.attributes[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The limits of one field for one entity: the entity's own attribute first, then the field's. */
export function limitsFor(field: string, spec: FieldSpec, entity: Entity | undefined): { min?: number; max?: number } {
  const minAttr = entity ? numberAttr(entity, spec.minAttr) : undefined;
  const maxAttr = entity ? numberAttr(entity, spec.maxAttr) : undefined;
  return {
    min: minAttr ?? spec.min ?? KNOWN_LIMITS[field]?.min,
    max: maxAttr ?? spec.max ?? KNOWN_LIMITS[field]?.max,
  };
}

/** Whether a field's verdict can differ between two entities of the same action. */
function dependsOnEntity(spec: FieldSpec): boolean {
  return spec.minAttr !== undefined || spec.maxAttr !== undefined || spec.enumAttr !== undefined;
}

export interface Verdict {
  message: string;
  say: string;
}

/**
 * One value against its field. `entity` is set for fields whose limits come from the entity;
 * `who` is how speech names the targets.
 */
function checkValue(field: string, spec: FieldSpec, value: DataValue, entity: Entity | undefined, who: string): Verdict | undefined {
  const where = entity ? ` for ${entity.entity_id}` : '';
  const what = label(field);
  switch (spec.type) {
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return { message: `${field}=${show(value)} is not a number`, say: `the ${what} has to be a number` };
      }
      const n = snapNumber(value);
      if (spec.type === 'integer' && !Number.isInteger(n)) {
        return { message: `${field}=${show(value)} is not a whole number`, say: `the ${what} has to be a whole number` };
      }
      const { min, max } = limitsFor(field, spec, entity);
      if (min !== undefined && n < min) {
        return { message: `${field}=${n} is below the minimum ${min}${where}`, say: `the ${what} of ${who} can't go below ${min}` };
      }
      if (max !== undefined && n > max) {
        return { message: `${field}=${n} is above the maximum ${max}${where}`, say: `the ${what} of ${who} only goes up to ${max}` };
      }
      return undefined;
    }
    case 'string': {
      if (typeof value !== 'string') return { message: `${field}=${show(value)} is not text`, say: `the ${what} has to be a name` };
      if (field === 'color_name' && !isCssColourName(value)) {
        return { message: `${field}=${show(value)} is not a colour name`, say: `I don't know the colour ${value}` };
      }
      if (spec.enum && !spec.enum.includes(value)) {
        return { message: `${field}=${show(value)} is not one of ${spec.enum.join(', ')}`, say: `${value} is not a ${what} I know` };
      }
      if (spec.enumAttr && entity) {
        const choices = entity.attributes[spec.enumAttr];
        if (!Array.isArray(choices) || choices.length === 0) {
          return { message: `${entity.entity_id} lists no ${spec.enumAttr}, so ${field} cannot be set`, say: `${who} has no ${what} to choose` };
        }
        if (!choices.includes(value)) {
          return {
            message: `${field}=${show(value)} is not in ${entity.entity_id}'s ${spec.enumAttr} (${choices.map(String).join(', ')})`,
            say: `${who} has no ${what} called ${value}`,
          };
        }
      }
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : { message: `${field}=${show(value)} is not true or false`, say: `the ${what} has to be on or off` };
    case 'rgb':
      return Array.isArray(value) && value.length === 3 && value.map(snapNumber).every((n) => Number.isInteger(n) && n >= 0 && n <= 255)
        ? undefined
        : { message: `${field}=${show(value)} is not three whole numbers from 0 to 255`, say: `that is not a colour I can show` };
  }
}

/** What a light cannot show, judged by its supported_color_modes (Home Assistant's colour modes). */
export function lightCapability(entity: Entity, field: string, name: string): Verdict | undefined {
  const raw = entity.attributes['supported_color_modes'];
  const modes = Array.isArray(raw) ? raw.map(String) : undefined;
  const listed = modes ? ` (modes: ${modes.join(', ')})` : '';
  if (BRIGHTNESS_FIELDS.has(field) && modes && modes.length > 0 && modes.every((m) => m === 'onoff')) {
    return { message: `${entity.entity_id} cannot be dimmed, so it takes no ${field}${listed}`, say: `${name} can't be dimmed` };
  }
  // Colour needs evidence: a light that lists no modes is taken to show none.
  if (COLOUR_FIELDS.has(field) && !modes?.some((m) => COLOUR_MODES.has(m))) {
    return { message: `${entity.entity_id} cannot show a colour, so it takes no ${field}${listed}`, say: `${name} can't change colour` };
  }
  // Strict on purpose: Home Assistant would fake a white from colour bulbs, but the user asked
  // for a colour temperature the bulb does not have.
  if (COLOUR_TEMP_FIELDS.has(field) && modes && !modes.includes('color_temp')) {
    return { message: `${entity.entity_id} has no colour temperature, so it takes no ${field}${listed}`, say: `${name} can't change its colour temperature` };
  }
  return undefined;
}

function checkAction(action: Action, index: number, catalog: Catalog, out: CheckProblem[]): void {
  const at = `/actions/${index}`;
  const key = `${action.domain}.${action.service}`;
  const spec = catalog.service(action.domain, action.service);
  if (!spec) {
    out.push({
      code: 'HESTIA_BAD_SERVICE',
      message: `there is no service ${key}`,
      say: `I have no way to ${words(action.service)} a ${words(action.domain)}`,
      path: `${at}/service`,
    });
  }

  const targets: Entity[] = [];
  action.entity_ids.forEach((id, i) => {
    const path = `${at}/entity_ids/${i}`;
    const entity = catalog.entity(id);
    if (!entity) {
      out.push({ code: 'HESTIA_UNKNOWN_ENTITY', message: `unknown entity ${id}`, say: `there is no ${words(id.slice(id.indexOf('.') + 1))} in this home`, path, entity_id: id });
    } else if (!entity.exposed) {
      out.push({ code: 'HESTIA_UNKNOWN_ENTITY', message: `${id} is not exposed to Hestia`, say: `${nameOf(entity, catalog)} is not available to me`, path, entity_id: id });
    } else if (entity.domain !== action.domain) {
      out.push({
        code: 'HESTIA_BAD_SERVICE',
        message: `${id} is a ${entity.domain}, so it cannot take ${key}`,
        say: `${nameOf(entity, catalog)} is not a ${words(action.domain)}`,
        path,
        entity_id: id,
      });
    } else {
      targets.push(entity);
    }
  });
  if (!spec) return;

  for (const [field, fieldSpec] of Object.entries(spec.fields)) {
    if (fieldSpec.required && action.data[field] === undefined) {
      out.push({ code: 'HESTIA_BAD_DATA', message: `${key} needs ${field}`, say: `I need to know the ${label(field)}`, path: `${at}/data`, field });
    }
  }
  const names = targets.map((e) => nameOf(e, catalog));
  const everyone = names.length > 3 ? 'those devices' : joinWords(names);
  for (const [field, value] of Object.entries(action.data)) {
    if (value === undefined) continue;
    const path = `${at}/data/${field}`;
    const fieldSpec = spec.fields[field];
    if (!fieldSpec) {
      out.push({ code: 'HESTIA_BAD_DATA', message: `${key} takes no field ${field}`, say: `I can't set the ${label(field)} that way`, path, field });
      continue;
    }
    if (dependsOnEntity(fieldSpec)) {
      targets.forEach((entity, i) => {
        const bad = checkValue(field, fieldSpec, value, entity, names[i] ?? entity.name);
        if (bad) out.push({ code: 'HESTIA_BAD_DATA', ...bad, path, entity_id: entity.entity_id, field });
      });
    } else {
      const bad = checkValue(field, fieldSpec, value, undefined, everyone);
      if (bad) out.push({ code: 'HESTIA_BAD_DATA', ...bad, path, field });
    }
    if (action.domain === 'light') {
      targets.forEach((entity, i) => {
        const bad = lightCapability(entity, field, names[i] ?? entity.name);
        if (bad) out.push({ code: 'HESTIA_BAD_DATA', ...bad, path, entity_id: entity.entity_id, field });
      });
    }
  }
}

/** Every way the plan does not fit the home; empty when it does. */
export function checkCatalog(plan: PlanTargets, catalog: Catalog): CheckProblem[] {
  const out: CheckProblem[] = [];
  plan.actions.forEach((action, i) => checkAction(action, i, catalog, out));
  plan.query_entity_ids.forEach((id, i) => {
    const path = `/query_entity_ids/${i}`;
    const entity = catalog.entity(id);
    if (!entity) out.push({ code: 'HESTIA_UNKNOWN_ENTITY', message: `unknown entity ${id}`, say: `there is no ${words(id.slice(id.indexOf('.') + 1))} in this home`, path, entity_id: id });
    else if (!entity.exposed) out.push({ code: 'HESTIA_UNKNOWN_ENTITY', message: `${id} is not exposed to Hestia`, say: `${nameOf(entity, catalog)} is not available to me`, path, entity_id: id });
  });
  return out;
}
