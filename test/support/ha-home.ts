// A Home Assistant home for the test server, built from one of the evaluation homes: states with
// friendly names, the area/floor/device/entity registries (every third device-backed entity gets
// its area only through its device, aliases live in the registry), the exposure list, and service
// descriptions with selectors as Home Assistant publishes them (light.turn_on's extra fields in a
// collapsible section).
import { readFileSync } from 'node:fs';
import { builtinServices } from '../../src/catalog/builtin-services.js';
import type { FieldSpec, HomeSnapshot } from '../../src/catalog/types.js';
import type { HaHome } from './ha-server.js';

function selectorOf(spec: FieldSpec): Record<string, unknown> {
  switch (spec.type) {
    case 'number':
    case 'integer':
      return { number: { ...(spec.min !== undefined ? { min: spec.min } : {}), ...(spec.max !== undefined ? { max: spec.max } : {}), step: spec.type === 'integer' ? 1 : 0.5 } };
    case 'boolean':
      return { boolean: {} };
    case 'rgb':
      return { color_rgb: {} };
    case 'string':
      return spec.enum ? { select: { options: spec.enum } } : { text: {} };
  }
}

export function haServices(): HaHome['services'] {
  const out: HaHome['services'] = {};
  for (const s of builtinServices()) {
    const fields: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(s.fields)) fields[name] = { required: spec.required === true, selector: selectorOf(spec) };
    if (s.domain === 'light' && s.service === 'turn_on') {
      const { transition, ...rest } = fields;
      out[s.domain] = { ...out[s.domain], [s.service]: { name: 'Turn on', fields: { ...rest, advanced_fields: { collapsed: true, fields: { transition } } } } };
      continue;
    }
    out[s.domain] = { ...out[s.domain], [s.service]: { name: s.service, fields } };
  }
  return out;
}

export function haHomeFrom(snapshotFile: string): HaHome {
  const home = JSON.parse(readFileSync(snapshotFile, 'utf8')) as HomeSnapshot;
  const devices: HaHome['devices'] = [];
  const entities: HaHome['entities'] = [];
  home.entities.forEach((e, i) => {
    const viaDevice = i % 3 === 0 && e.area_id;
    const deviceId = `dev_${i}`;
    if (viaDevice) devices.push({ id: deviceId, name: `${e.name ?? e.entity_id} device`, area_id: e.area_id ?? null });
    entities.push({
      entity_id: e.entity_id,
      // Every other entity has its name in the registry; the rest only as the state's friendly_name.
      name: i % 2 === 0 ? (e.name ?? null) : null,
      area_id: viaDevice ? null : (e.area_id ?? null),
      device_id: viaDevice ? deviceId : null,
      aliases: e.aliases ?? [],
    });
  });
  return {
    states: home.entities.map((e) => ({
      entity_id: e.entity_id,
      state: e.state ?? 'unknown',
      attributes: { ...(e.attributes ?? {}), friendly_name: e.name ?? e.entity_id, ...(e.device_class ? { device_class: e.device_class } : {}) },
    })),
    areas: (home.areas ?? []).map((a) => ({ area_id: a.area_id, name: a.name, aliases: a.aliases ?? [], floor_id: a.floor_id ?? null })),
    floors: (home.floors ?? []).map((f) => ({ floor_id: f.floor_id, name: f.name, aliases: f.aliases ?? [], level: f.level ?? null })),
    devices,
    entities,
    services: haServices(),
    exposed: Object.fromEntries(home.entities.map((e) => [e.entity_id, { conversation: e.exposed !== false }])),
  };
}
