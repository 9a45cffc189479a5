// Grows a home to a given number of entities by adding rooms full of ordinary devices, keeping
// every existing room and device as it was. Used to measure how candidate retrieval and planning
// scale (50, 200, 2000 entities) on requests whose right answer stays the same: the new rooms sit
// on a floor of their own with no level, so "upstairs" and the existing rooms mean what they meant.
import type { AttributeValue, HomeSnapshot } from './types.js';

type SnapshotEntity = HomeSnapshot['entities'][number];

const ROOM_KINDS = [
  'Studio', 'Workshop', 'Library', 'Den', 'Loft Room', 'Sunroom', 'Pantry', 'Cellar', 'Annex',
  'Music Room', 'Craft Room', 'Playroom', 'Games Room', 'Boot Room', 'Reading Room', 'Sewing Room',
  'Wine Room', 'Guest Suite', 'Nook', 'Gallery',
];

interface Template {
  domain: string;
  name: string;
  state: string;
  device_class?: string;
  attributes?: Record<string, AttributeValue>;
}

const TEMPLATES: Template[] = [
  { domain: 'light', name: 'Ceiling Light', state: 'off', attributes: { supported_color_modes: ['color_temp'], min_color_temp_kelvin: 2200, max_color_temp_kelvin: 6500 } },
  { domain: 'light', name: 'Lamp', state: 'off', attributes: { supported_color_modes: ['brightness'] } },
  { domain: 'light', name: 'Spotlights', state: 'off', attributes: { supported_color_modes: ['brightness'] } },
  { domain: 'switch', name: 'Plug', state: 'off', device_class: 'outlet' },
  { domain: 'fan', name: 'Fan', state: 'off', attributes: { percentage: 0 } },
  { domain: 'cover', name: 'Blinds', state: 'closed', device_class: 'blind', attributes: { current_position: 0 } },
  { domain: 'sensor', name: 'Temperature', state: '20.5', device_class: 'temperature', attributes: { unit_of_measurement: '°C' } },
  { domain: 'sensor', name: 'Humidity', state: '45', device_class: 'humidity', attributes: { unit_of_measurement: '%' } },
  { domain: 'binary_sensor', name: 'Motion', state: 'off', device_class: 'motion' },
  { domain: 'media_player', name: 'Speaker', state: 'idle', device_class: 'speaker', attributes: { volume_level: 0.3 } },
];

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');

/** A copy of `home` with rooms added until it holds `size` entities (never fewer than it had). */
export function growHome(home: HomeSnapshot, size: number): HomeSnapshot {
  const out: HomeSnapshot = {
    floors: [...(home.floors ?? []), { floor_id: 'west_wing', name: 'West Wing', aliases: [], level: null }],
    areas: [...(home.areas ?? [])],
    entities: [...home.entities],
  };
  const taken = new Set(out.entities.map((e) => e.entity_id));
  let room = 0;
  while (out.entities.length < size) {
    const kind = ROOM_KINDS[room % ROOM_KINDS.length] as string;
    const areaName = `${kind} ${Math.floor(room / ROOM_KINDS.length) + 1}`;
    const areaId = `ww_${slug(areaName)}`;
    out.areas?.push({ area_id: areaId, name: areaName, aliases: [], floor_id: 'west_wing' });
    for (const [i, t] of TEMPLATES.entries()) {
      if (out.entities.length >= size) break;
      // Half the rooms name devices with the room ("Studio 1 Lamp"), half without ("Lamp").
      const name = room % 2 === 0 ? `${areaName} ${t.name}` : t.name;
      let id = `${t.domain}.${areaId}_${slug(t.name)}`;
      if (taken.has(id)) id = `${id}_${i}`;
      taken.add(id);
      const entity: SnapshotEntity = { entity_id: id, name, aliases: [], area_id: areaId, state: t.state, device_class: t.device_class ?? null, attributes: t.attributes ?? {} };
      out.entities.push(entity);
    }
    room += 1;
  }
  return out;
}
