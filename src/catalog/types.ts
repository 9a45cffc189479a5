// The home catalog's shapes. The catalog knows no transport: snapshot files and (later) Home
// Assistant fill it through adapters.

export interface Floor {
  floor_id: string;
  name: string;
  aliases: string[];
  /** Higher is further up; used for words like "upstairs" when a floor has no alias for it. */
  level: number | null;
}

export interface Area {
  area_id: string;
  name: string;
  aliases: string[];
  floor_id: string | null;
}

export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [k: string]: AttributeValue };

export interface Entity {
  entity_id: string;
  /** The part before the dot: light, switch, cover, ... */
  domain: string;
  /** The part after the dot. */
  object_id: string;
  name: string;
  aliases: string[];
  area_id: string | null;
  state: string;
  device_class: string | null;
  attributes: Record<string, AttributeValue>;
  /** Only exposed entities may be controlled or read by voice. */
  exposed: boolean;
}

/** What the snapshot file holds (DESIGN.md "The home catalog"). Optional fields get defaults. */
export interface HomeSnapshot {
  floors?: Array<Partial<Floor> & { floor_id: string; name: string }>;
  areas?: Array<Partial<Area> & { area_id: string; name: string }>;
  entities: Array<{
    entity_id: string;
    name?: string;
    aliases?: string[];
    area_id?: string | null;
    state?: string;
    device_class?: string | null;
    attributes?: Record<string, AttributeValue>;
    exposed?: boolean;
  }>;
}

/** One data field of a service, with the limits the checks (and later the grammar) enforce. */
export interface FieldSpec {
  type: 'number' | 'integer' | 'string' | 'boolean' | 'rgb';
  min?: number;
  max?: number;
  /** Fixed choices. */
  enum?: string[];
  /** Entity attributes that narrow the limits per entity (e.g. climate min_temp / max_temp). */
  minAttr?: string;
  maxAttr?: string;
  /** Entity attribute that lists the allowed choices (e.g. hvac_modes, preset_modes, options). */
  enumAttr?: string;
  required?: boolean;
}

export interface ServiceSpec {
  domain: string;
  service: string;
  fields: Record<string, FieldSpec>;
}

export type CatalogChange =
  | { kind: 'reset' }
  | { kind: 'entity'; entity_id: string; change: 'added' | 'removed' | 'updated' | 'state' }
  | { kind: 'areas' }
  | { kind: 'services' };
