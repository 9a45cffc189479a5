// Home Assistant's view of the home -> the catalog. Pure: the payloads of get_states, get_services
// and the registries in, CatalogData out. Names come from the entity registry, then the state's
// friendly_name; an entity's area from its registry entry, else its device's; hidden and disabled
// entities are never exposed, and only entities exposed to voice assistants ("conversation") may
// be controlled unless the configuration says otherwise. Service fields become the limits the
// checks and the model's grammar enforce, from their selectors.
import { builtinServices } from '../catalog/builtin-services.js';
import type { CatalogData } from '../catalog/catalog.js';
import type { Area, AttributeValue, Entity, FieldSpec, Floor, ServiceSpec } from '../catalog/types.js';

export interface HaStatePayload {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
}

export interface HaRegistryEntry {
  entity_id: string;
  name?: string | null;
  original_name?: string | null;
  area_id?: string | null;
  device_id?: string | null;
  hidden_by?: string | null;
  disabled_by?: string | null;
  aliases?: string[];
}

export interface HaSnapshot {
  states: HaStatePayload[];
  services: Record<string, Record<string, { fields?: Record<string, unknown> }>>;
  areas: Array<{ area_id: string; name: string; aliases?: string[]; floor_id?: string | null }>;
  floors: Array<{ floor_id: string; name: string; aliases?: string[]; level?: number | null }>;
  devices: Array<{ id: string; area_id?: string | null; name?: string | null; name_by_user?: string | null }>;
  entities: HaRegistryEntry[];
  /** entity_id -> {assistant: exposed}; absent when the instance has no exposure settings. */
  exposed?: Record<string, Record<string, boolean>>;
}

export interface ExposureSettings {
  /** `assistant`: what HA exposes to voice assistants; `all`: every visible entity. */
  mode: 'assistant' | 'all';
  /** Always exposed / never exposed, whatever HA says. */
  include: readonly string[];
  exclude: readonly string[];
}

const titleCase = (s: string): string => s.replace(/_/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());

function toAttributes(attrs: Record<string, unknown>): Record<string, AttributeValue> {
  // JSON from HA is already plain data; this only narrows the type.
  return attrs as Record<string, AttributeValue>;
}

export function entitiesFromHa(snapshot: HaSnapshot, exposure: ExposureSettings): Entity[] {
  const registry = new Map(snapshot.entities.map((e) => [e.entity_id, e]));
  const devices = new Map(snapshot.devices.map((d) => [d.id, d]));
  const out: Entity[] = [];
  for (const s of snapshot.states) {
    const dot = s.entity_id.indexOf('.');
    if (dot <= 0) continue;
    const entry = registry.get(s.entity_id);
    const device = entry?.device_id ? devices.get(entry.device_id) : undefined;
    const friendly = typeof s.attributes['friendly_name'] === 'string' ? (s.attributes['friendly_name'] as string) : undefined;
    const name = entry?.name ?? friendly ?? entry?.original_name ?? titleCase(s.entity_id.slice(dot + 1));
    const visible = !entry?.hidden_by && !entry?.disabled_by;
    let exposed = visible && (exposure.mode === 'all' || snapshot.exposed?.[s.entity_id]?.['conversation'] === true);
    if (exposure.include.includes(s.entity_id)) exposed = true;
    if (exposure.exclude.includes(s.entity_id)) exposed = false;
    const { friendly_name: _f, device_class: deviceClass, ...attributes } = s.attributes;
    out.push({
      entity_id: s.entity_id,
      domain: s.entity_id.slice(0, dot),
      object_id: s.entity_id.slice(dot + 1),
      name,
      aliases: entry?.aliases ?? [],
      area_id: entry?.area_id ?? device?.area_id ?? null,
      state: s.state,
      device_class: typeof deviceClass === 'string' ? deviceClass : null,
      attributes: toAttributes(attributes),
      exposed,
    });
  }
  return out;
}

/** One selector -> the field's type and limits. */
function fieldFromSelector(raw: unknown): FieldSpec | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const field = raw as { required?: boolean; selector?: Record<string, unknown> };
  const selector = field.selector ?? {};
  const [kind, options] = Object.entries(selector)[0] ?? [];
  const o = (options ?? {}) as Record<string, unknown>;
  const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const base = { ...(field.required ? { required: true } : {}) };
  switch (kind) {
    case 'number': {
      const min = num(o['min']);
      const max = num(o['max']);
      const step = num(o['step']);
      return { type: step !== undefined && Number.isInteger(step) && Number.isInteger(min ?? 0) ? 'integer' : 'number', ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), ...base };
    }
    case 'color_temp': {
      const min = num(o['min']) ?? num(o['min_mireds']);
      const max = num(o['max']) ?? num(o['max_mireds']);
      return { type: 'integer', ...(o['unit'] === 'kelvin' && min !== undefined ? { min } : {}), ...(o['unit'] === 'kelvin' && max !== undefined ? { max } : {}), ...base };
    }
    case 'boolean':
      return { type: 'boolean', ...base };
    case 'color_rgb':
      return { type: 'rgb', ...base };
    case 'select': {
      const opts = Array.isArray(o['options']) ? (o['options'] as unknown[]).map((x) => (typeof x === 'string' ? x : String((x as { value?: unknown }).value ?? ''))) : [];
      return { type: 'string', ...(opts.length ? { enum: opts.filter(Boolean) } : {}), ...base };
    }
    case 'text':
    case 'state':
    case 'attribute':
    case 'icon':
    case 'template':
      return { type: 'string', ...base };
    default:
      return undefined;
  }
}

/** Fields, with Home Assistant's collapsible sections ("advanced_fields") flattened. */
function flatFields(fields: Record<string, unknown>): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [name, raw] of Object.entries(fields)) {
    const nested = (raw as { fields?: Record<string, unknown> } | null)?.fields;
    if (nested && typeof nested === 'object') out.push(...flatFields(nested));
    else out.push([name, raw]);
  }
  return out;
}

/**
 * Services as the catalog knows them. A service Hestia knows keeps its own field specs (they carry
 * the per-entity limits: a thermostat's min_temp, a player's source_list), narrowed by HA's
 * selector ranges; fields and services only HA knows come from their selectors.
 */
export function servicesFromHa(services: HaSnapshot['services']): ServiceSpec[] {
  const known = new Map(builtinServices().map((s) => [`${s.domain}.${s.service}`, s]));
  const out: ServiceSpec[] = [];
  for (const [domain, byService] of Object.entries(services)) {
    for (const [service, description] of Object.entries(byService)) {
      const builtin = known.get(`${domain}.${service}`);
      const fields: Record<string, FieldSpec> = {};
      for (const [name, raw] of flatFields(description.fields ?? {})) {
        const fromHa = fieldFromSelector(raw);
        const mine = builtin?.fields[name];
        if (mine) {
          fields[name] = {
            ...mine,
            ...(fromHa?.min !== undefined && (mine.min === undefined || fromHa.min > mine.min) ? { min: fromHa.min } : {}),
            ...(fromHa?.max !== undefined && (mine.max === undefined || fromHa.max < mine.max) ? { max: fromHa.max } : {}),
          };
        } else if (fromHa) fields[name] = fromHa;
      }
      out.push({ domain, service, fields });
    }
  }
  return out;
}

export function areasFromHa(snapshot: Pick<HaSnapshot, 'areas' | 'floors'>): { areas: Area[]; floors: Floor[] } {
  return {
    areas: snapshot.areas.map((a) => ({ area_id: a.area_id, name: a.name, aliases: a.aliases ?? [], floor_id: a.floor_id ?? null })),
    floors: snapshot.floors.map((f) => ({ floor_id: f.floor_id, name: f.name, aliases: f.aliases ?? [], level: f.level ?? null })),
  };
}

export function catalogDataFromHa(snapshot: HaSnapshot, exposure: ExposureSettings): CatalogData {
  return { ...areasFromHa(snapshot), entities: entitiesFromHa(snapshot, exposure), services: servicesFromHa(snapshot.services) };
}
