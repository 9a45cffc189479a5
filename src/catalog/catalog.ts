// The single source of truth for what exists in the home. Pure data plus change events; it knows
// nothing of MQTT, websockets or models.
import { EventEmitter } from 'node:events';
import { builtinServices } from './builtin-services.js';
import type { Area, AttributeValue, CatalogChange, Entity, Floor, ServiceSpec } from './types.js';

export interface CatalogData {
  floors: Floor[];
  areas: Area[];
  entities: Entity[];
  services?: ServiceSpec[];
}

export class Catalog extends EventEmitter<{ change: [CatalogChange] }> {
  #floors = new Map<string, Floor>();
  #areas = new Map<string, Area>();
  #entities = new Map<string, Entity>();
  #services = new Map<string, ServiceSpec>();
  /** Bumped on every change; derived indexes compare it to know when to rebuild. */
  #version = 0;

  constructor(data: CatalogData) {
    super();
    this.replace(data);
  }

  get version(): number {
    return this.#version;
  }

  /** Replaces everything at once (a snapshot load or a full re-sync). */
  replace(data: CatalogData): void {
    this.#floors = new Map(data.floors.map((f) => [f.floor_id, f]));
    this.#areas = new Map(data.areas.map((a) => [a.area_id, a]));
    this.#entities = new Map(data.entities.map((e) => [e.entity_id, e]));
    const services = data.services ?? builtinServices();
    this.#services = new Map(services.map((s) => [`${s.domain}.${s.service}`, s]));
    this.#bump({ kind: 'reset' });
  }

  entity(entityId: string): Entity | undefined {
    return this.#entities.get(entityId);
  }

  entities(): IterableIterator<Entity> {
    return this.#entities.values();
  }

  get size(): number {
    return this.#entities.size;
  }

  area(areaId: string | null | undefined): Area | undefined {
    return areaId ? this.#areas.get(areaId) : undefined;
  }

  areas(): IterableIterator<Area> {
    return this.#areas.values();
  }

  floor(floorId: string | null | undefined): Floor | undefined {
    return floorId ? this.#floors.get(floorId) : undefined;
  }

  floors(): IterableIterator<Floor> {
    return this.#floors.values();
  }

  /** The floor an entity sits on, through its area. */
  floorOf(entity: Entity): Floor | undefined {
    return this.floor(this.area(entity.area_id)?.floor_id);
  }

  service(domain: string, service: string): ServiceSpec | undefined {
    return this.#services.get(`${domain}.${service}`);
  }

  services(): IterableIterator<ServiceSpec> {
    return this.#services.values();
  }

  /** A state change: cheap, and reported as such so that indexes over names need not rebuild. */
  setState(entityId: string, state: string, attributes?: Record<string, AttributeValue>): boolean {
    const e = this.#entities.get(entityId);
    if (!e) return false;
    e.state = state;
    if (attributes) e.attributes = attributes;
    this.#bump({ kind: 'entity', entity_id: entityId, change: 'state' });
    return true;
  }

  upsertEntity(entity: Entity): void {
    const existed = this.#entities.has(entity.entity_id);
    this.#entities.set(entity.entity_id, entity);
    this.#bump({ kind: 'entity', entity_id: entity.entity_id, change: existed ? 'updated' : 'added' });
  }

  removeEntity(entityId: string): void {
    if (this.#entities.delete(entityId)) this.#bump({ kind: 'entity', entity_id: entityId, change: 'removed' });
  }

  setAreas(areas: Area[], floors: Floor[]): void {
    this.#areas = new Map(areas.map((a) => [a.area_id, a]));
    this.#floors = new Map(floors.map((f) => [f.floor_id, f]));
    this.#bump({ kind: 'areas' });
  }

  setServices(services: ServiceSpec[]): void {
    this.#services = new Map(services.map((s) => [`${s.domain}.${s.service}`, s]));
    this.#bump({ kind: 'services' });
  }

  /** Version of everything but states: what name indexes and grammars depend on. */
  get structureVersion(): number {
    return this.#structureVersion;
  }
  #structureVersion = 0;

  #bump(change: CatalogChange): void {
    this.#version += 1;
    if (!(change.kind === 'entity' && change.change === 'state')) this.#structureVersion += 1;
    this.emit('change', change);
  }
}
