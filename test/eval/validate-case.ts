// Checks what a case claims about its home, so that a typo in an expected plan fails loudly
// instead of silently lowering a planner's score: every id exists and is exposed, every service
// exists for its domain, every data value fits the service's field and the entity's limits, the
// light can show what it is asked to, and sensitive actions expect a confirmation.
import type { Catalog } from '../../src/catalog/catalog.js';
import type { Entity, FieldSpec } from '../../src/catalog/types.js';
import type { DataValue, EvalCase, ExpectedAction } from './cases.js';

const COLOUR_MODES = new Set(['hs', 'rgb', 'rgbw', 'rgbww', 'xy']);
/** Covers that let people in: opening one needs a confirmation. */
const ENTRY_COVERS = new Set(['garage', 'gate', 'door']);

/** Whether the plan vocabulary treats this action as sensitive (needs a confirmation first). */
export function isSensitive(action: ExpectedAction, catalog: Catalog): boolean {
  const key = `${action.domain}.${action.service}`;
  if (key === 'lock.unlock' || key === 'lock.open' || key === 'alarm_control_panel.alarm_disarm') return true;
  // The policy's defaults: water or gas starting to flow needs a yes.
  if (key === 'valve.open_valve' || key === 'valve.toggle') return true;
  if (key === 'valve.set_valve_position') return Number(action.data['position']) > 0;
  if (key === 'cover.open_cover' || key === 'cover.set_cover_position') {
    return action.entity_ids.some((id) => ENTRY_COVERS.has(catalog.entity(id)?.device_class ?? ''));
  }
  // A thermostat set outside the policy's default band (12-28 °C, read in the device's unit):
  // a sauna or a hot tub at its usual heat asks first too, unless the household allows it.
  if (key === 'climate.set_temperature' && typeof action.data['temperature'] === 'number') {
    const t = action.data['temperature'];
    return action.entity_ids.some((id) => {
      const unit = String(catalog.entity(id)?.attributes['temperature_unit'] ?? catalog.entity(id)?.attributes['unit_of_measurement'] ?? '°C');
      const c = /F/i.test(unit) ? ((t - 32) * 5) / 9 : t;
      return c < 12 || c > 28;
    });
  }
  return false;
}

function numberAttr(entity: Entity, name: string | undefined): number | undefined {
  if (!name) return undefined;
  const v = entity.attributes[name];
  return typeof v === 'number' ? v : undefined;
}

function checkValue(field: string, spec: FieldSpec, value: DataValue, entity: Entity): string | undefined {
  const shown = JSON.stringify(value);
  switch (spec.type) {
    case 'number':
    case 'integer': {
      if (typeof value !== 'number') return `${field}=${shown} is not a number`;
      if (spec.type === 'integer' && !Number.isInteger(value)) return `${field}=${shown} is not an integer`;
      const min = numberAttr(entity, spec.minAttr) ?? spec.min;
      const max = numberAttr(entity, spec.maxAttr) ?? spec.max;
      if (min !== undefined && value < min) return `${field}=${shown} is below ${min} for ${entity.entity_id}`;
      if (max !== undefined && value > max) return `${field}=${shown} is above ${max} for ${entity.entity_id}`;
      return undefined;
    }
    case 'string': {
      if (typeof value !== 'string') return `${field}=${shown} is not a string`;
      if (spec.enum && !spec.enum.includes(value)) return `${field}=${shown} is not one of ${spec.enum.join(', ')}`;
      if (spec.enumAttr) {
        const choices = entity.attributes[spec.enumAttr];
        if (!Array.isArray(choices) || !choices.includes(value)) {
          return `${field}=${shown} is not in ${entity.entity_id}'s ${spec.enumAttr}`;
        }
      }
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${field}=${shown} is not a boolean`;
    case 'rgb':
      return Array.isArray(value) && value.length === 3 && value.every((n) => Number.isInteger(n) && n >= 0 && n <= 255)
        ? undefined
        : `${field}=${shown} is not an [r, g, b] colour`;
  }
}

/** What a light cannot do with the data it is given, judged by its supported_color_modes. */
function lightCapabilityProblem(entity: Entity, data: Record<string, DataValue>): string | undefined {
  const raw = entity.attributes['supported_color_modes'];
  const modes = Array.isArray(raw) ? raw.map(String) : ['onoff'];
  const dims = modes.some((m) => m !== 'onoff');
  if (('brightness_pct' in data || 'brightness_step_pct' in data) && !dims) {
    return `${entity.entity_id} cannot be dimmed (modes ${modes.join(', ')})`;
  }
  if (('color_name' in data || 'rgb_color' in data) && !modes.some((m) => COLOUR_MODES.has(m))) {
    return `${entity.entity_id} cannot show a colour (modes ${modes.join(', ')})`;
  }
  if ('color_temp_kelvin' in data && !modes.includes('color_temp')) {
    return `${entity.entity_id} has no colour temperature (modes ${modes.join(', ')})`;
  }
  return undefined;
}

function checkEntity(id: string, catalog: Catalog, domain?: string): string | undefined {
  const entity = catalog.entity(id);
  if (!entity) return `unknown entity ${id}`;
  if (!entity.exposed) return `entity ${id} is not exposed`;
  if (domain && entity.domain !== domain) return `entity ${id} is not in domain ${domain}`;
  return undefined;
}

function checkAction(action: ExpectedAction, catalog: Catalog): string[] {
  const problems: string[] = [];
  const spec = catalog.service(action.domain, action.service);
  if (!spec) return [`no service ${action.domain}.${action.service}`];
  if (new Set(action.entity_ids).size !== action.entity_ids.length) {
    problems.push(`${action.domain}.${action.service} lists an entity twice`);
  }
  for (const [name, field] of Object.entries(spec.fields)) {
    if (field.required && !(name in action.data)) problems.push(`${action.domain}.${action.service} needs ${name}`);
  }
  for (const id of action.entity_ids) {
    const problem = checkEntity(id, catalog, action.domain);
    if (problem) {
      problems.push(problem);
      continue;
    }
    const entity = catalog.entity(id) as Entity;
    for (const [name, value] of Object.entries(action.data)) {
      const field = spec.fields[name];
      if (!field) {
        problems.push(`${action.domain}.${action.service} takes no field ${name}`);
        continue;
      }
      const bad = checkValue(name, field, value, entity);
      if (bad) problems.push(bad);
    }
    if (action.domain === 'light' && action.service === 'turn_on') {
      const bad = lightCapabilityProblem(entity, action.data);
      if (bad) problems.push(bad);
    }
  }
  return problems;
}

/** Every problem with one case against its home's catalog; empty when the case is sound. */
export function validateCase(c: EvalCase, catalog: Catalog): string[] {
  const problems: string[] = [];
  const { status, actions, query_entity_ids: queryIds } = c.expect;
  if (c.area_id && !catalog.area(c.area_id)) problems.push(`unknown speaker area ${c.area_id}`);

  if (status === 'no_match') {
    if (actions.length > 0 || queryIds.length > 0) problems.push('a no_match expectation lists actions or query ids');
    if (c.family !== 'out_of_scope') problems.push(`family ${c.family} expects no_match; such cases belong to out_of_scope`);
  } else {
    if (c.family === 'out_of_scope') problems.push(`out_of_scope cases expect no_match, not ${status}`);
    if (actions.length === 0 && queryIds.length === 0) problems.push(`status ${status} with neither actions nor query ids`);
  }

  for (const action of actions) problems.push(...checkAction(action, catalog));
  if (new Set(queryIds).size !== queryIds.length) problems.push('query_entity_ids lists an entity twice');
  for (const id of queryIds) {
    const problem = checkEntity(id, catalog);
    if (problem) problems.push(problem);
  }

  if (status !== 'no_match' && actions.length > 0) {
    const sensitive = actions.some((a) => isSensitive(a, catalog));
    if (sensitive && status !== 'needs_confirmation') problems.push('a sensitive action expects needs_confirmation');
    if (!sensitive && status === 'needs_confirmation') problems.push('needs_confirmation without a sensitive action');
  }
  return problems;
}

/** Problems across the whole set: duplicate ids, then each case against its home. */
export function validateCases(cases: EvalCase[], catalogs: ReadonlyMap<string, Catalog>): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const c of cases) {
    const first = seen.get(c.id);
    if (first) problems.push(`${c.source}: id ${c.id} already used at ${first}`);
    else seen.set(c.id, c.source);
    const catalog = catalogs.get(c.home);
    if (!catalog) {
      problems.push(`${c.source} (${c.id}): home ${c.home} is not loaded`);
      continue;
    }
    for (const p of validateCase(c, catalog)) problems.push(`${c.source} (${c.id}): ${p}`);
  }
  return problems;
}
