// Reads a home snapshot file (DESIGN.md) into a Catalog, checking its shape with ajv first so a
// broken file is reported with the path of each problem.
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { Catalog } from './catalog.js';
import type { Area, Entity, Floor, HomeSnapshot } from './types.js';
import { HestiaError } from '../errors.js';

const idPattern = '^[a-z0-9_]+$';
const snapshotSchema = {
  type: 'object',
  required: ['entities'],
  properties: {
    floors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['floor_id', 'name'],
        properties: {
          floor_id: { type: 'string', pattern: idPattern },
          name: { type: 'string', minLength: 1 },
          aliases: { type: 'array', items: { type: 'string' } },
          level: { type: ['integer', 'null'] },
        },
      },
    },
    areas: {
      type: 'array',
      items: {
        type: 'object',
        required: ['area_id', 'name'],
        properties: {
          area_id: { type: 'string', pattern: idPattern },
          name: { type: 'string', minLength: 1 },
          aliases: { type: 'array', items: { type: 'string' } },
          floor_id: { type: ['string', 'null'] },
        },
      },
    },
    entities: {
      type: 'array',
      items: {
        type: 'object',
        required: ['entity_id'],
        properties: {
          entity_id: { type: 'string', pattern: '^[a-z_][a-z0-9_]*\\.[a-z0-9_]+$' },
          name: { type: 'string' },
          aliases: { type: 'array', items: { type: 'string' } },
          area_id: { type: ['string', 'null'] },
          state: { type: 'string' },
          device_class: { type: ['string', 'null'] },
          attributes: { type: 'object' },
          exposed: { type: 'boolean' },
        },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true }).compile(snapshotSchema);

export function catalogFromSnapshot(snapshot: unknown, source = 'snapshot'): Catalog {
  if (!validate(snapshot)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    throw new HestiaError('HESTIA_BAD_HOME', `${source}: ${problems.join('; ')}`);
  }
  const snap = snapshot as HomeSnapshot;
  const floors: Floor[] = (snap.floors ?? []).map((f) => ({
    floor_id: f.floor_id,
    name: f.name,
    aliases: f.aliases ?? [],
    level: f.level ?? null,
  }));
  const floorIds = new Set(floors.map((f) => f.floor_id));
  const areas: Area[] = (snap.areas ?? []).map((a) => ({
    area_id: a.area_id,
    name: a.name,
    aliases: a.aliases ?? [],
    floor_id: a.floor_id && floorIds.has(a.floor_id) ? a.floor_id : null,
  }));
  const areaIds = new Set(areas.map((a) => a.area_id));
  const seen = new Set<string>();
  const entities: Entity[] = [];
  for (const e of snap.entities) {
    if (seen.has(e.entity_id)) throw new HestiaError('HESTIA_BAD_HOME', `${source}: entity ${e.entity_id} appears twice`);
    seen.add(e.entity_id);
    const [domain, objectId] = e.entity_id.split('.') as [string, string];
    if (e.area_id && !areaIds.has(e.area_id)) {
      throw new HestiaError('HESTIA_BAD_HOME', `${source}: entity ${e.entity_id} names unknown area ${e.area_id}`);
    }
    entities.push({
      entity_id: e.entity_id,
      domain,
      object_id: objectId,
      name: e.name ?? objectId.replace(/_/g, ' '),
      aliases: e.aliases ?? [],
      area_id: e.area_id ?? null,
      state: e.state ?? 'unknown',
      device_class: e.device_class ?? null,
      attributes: e.attributes ?? {},
      exposed: e.exposed ?? true,
    });
  }
  return new Catalog({ floors, areas, entities });
}

export async function loadSnapshotFile(path: string): Promise<Catalog> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new HestiaError('HESTIA_BAD_HOME', `cannot read home file ${path}: ${(cause as Error).message}`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new HestiaError('HESTIA_BAD_HOME', `home file ${path} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  return catalogFromSnapshot(json, path);
}
