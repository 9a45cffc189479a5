// State questions: "is the front door locked?", "what's the temperature in the office?", "which
// lights are on upstairs?". They read the catalog and never produce an action.
import type { Catalog } from '../../catalog/catalog.js';
import type { Entity } from '../../catalog/types.js';
import type { Query } from './interpret.js';
import { resolveTargets } from './resolve.js';
import { describeState, joinNames } from './speech.js';

export type QueryAnswer = { ok: true; ids: string[]; speech: string } | { ok: false; reason: string };

/** Whether an entity is in the state a question asks about. */
export function inState(e: Entity, want: string): boolean | undefined {
  const s = e.state;
  if (s === 'unavailable' || s === 'unknown') return undefined;
  switch (want) {
    case 'on':
      if (e.domain === 'media_player') return !['off', 'standby'].includes(s);
      if (e.domain === 'climate') return s !== 'off';
      if (e.domain === 'vacuum') return s === 'cleaning';
      return s === 'on';
    case 'off':
      return inState(e, 'on') === false;
    case 'open':
      if (e.domain === 'lock') return s === 'unlocked' || s === 'open' || s === 'unlocking';
      if (e.domain === 'binary_sensor') return s === 'on';
      return s === 'open' || s === 'opening';
    case 'closed':
      if (e.domain === 'lock') return s === 'locked' || s === 'locking';
      if (e.domain === 'binary_sensor') return s === 'off';
      return s === 'closed' || s === 'closing';
    case 'playing':
      return s === 'playing';
    case 'locked':
      return e.domain === 'lock' ? s === 'locked' : undefined;
    case 'unlocked':
      return e.domain === 'lock' ? s === 'unlocked' || s === 'open' : undefined;
    case 'armed':
      return e.domain === 'alarm_control_panel' ? s.startsWith('armed') : undefined;
    case 'disarmed':
      return e.domain === 'alarm_control_panel' ? s === 'disarmed' : undefined;
    default:
      return undefined;
  }
}

function stateWord(e: Entity, want: string): string {
  if (e.domain === 'lock' && (want === 'open' || want === 'closed')) return want === 'open' ? 'unlocked' : 'locked';
  return want;
}

/** A question about being locked is about locks, about being armed about alarms. */
const STATE_DOMAINS: Record<string, Set<string>> = {
  locked: new Set(['lock']), unlocked: new Set(['lock']),
  armed: new Set(['alarm_control_panel']), disarmed: new Set(['alarm_control_panel']),
  playing: new Set(['media_player']),
};

const OUTDOOR = /\b(outside|outdoors?|exterior|external)\b/;

/** Quantities a sensor's device class measures. */
const MEASURED = ['temperature', 'humidity', 'power', 'energy', 'battery'] as const;

function measured(attrs: Query['attrs'], scopeEntities: Entity[]): Entity[] {
  const want = MEASURED.find((m) => attrs.includes(m));
  if (!want) return [];
  const sensors = scopeEntities.filter((e) => e.domain === 'sensor' && e.device_class === want);
  if (sensors.length) return sensors;
  if (want === 'temperature') return scopeEntities.filter((e) => e.domain === 'climate' && typeof e.attributes.current_temperature === 'number');
  if (want !== 'humidity') return [];
  return scopeEntities.filter((e) => e.domain === 'humidifier' || (e.domain === 'climate' && typeof e.attributes.current_humidity === 'number'));
}

/** Whether `e` is named after `device`: its name or an alias, then more words ("Car Charger Power"). */
function namedAfter(e: Entity, device: Entity, orSame = false): boolean {
  const name = e.name.toLowerCase();
  return [device.name, ...device.aliases].some((n) => {
    const said = n.toLowerCase();
    return name.startsWith(`${said} `) || (orSame && name === said);
  });
}

/** The door or window contact named after each of these devices, when there is exactly one. */
function contactsOf(devices: Entity[], catalog: Catalog): Entity[] {
  const out: Entity[] = [];
  for (const d of devices) {
    const found = [...catalog.entities()].filter(
      (e) => e.exposed && e.domain === 'binary_sensor' && ['door', 'garage_door', 'opening', 'window'].includes(e.device_class ?? '') && namedAfter(e, d, true),
    );
    if (found.length === 1) out.push(found[0] as Entity);
  }
  return out;
}

/** Sensors named after one of these devices ("Car Charger" -> "Car Charger Power"). */
function sensorsOf(devices: Entity[], catalog: Catalog): Entity[] {
  return [...catalog.entities()].filter((e) => e.exposed && e.domain === 'sensor' && devices.some((d) => namedAfter(e, d)));
}

export function answerQuery(q: Query, catalog: Catalog, speakerArea: string | null): QueryAnswer {
  const t = q.targets;
  const wholeHomeQuestion = q.word === 'which' || t.all;
  let entities: Entity[];
  if (t.entitySpans.length === 0 && t.nouns.length === 0 && q.attrs.length) {
    // "what's the temperature in the office": the area's sensors for that quantity.
    const areas = new Set(t.areas);
    for (const f of t.floors) for (const a of catalog.areas()) if (a.floor_id === f) areas.add(a.area_id);
    if (areas.size === 0 && speakerArea) areas.add(speakerArea);
    const all = [...catalog.entities()].filter((e) => e.exposed);
    const scoped = areas.size ? all.filter((e) => e.area_id !== null && areas.has(e.area_id)) : all;
    entities = measured(q.attrs, scoped);
    // "how hot is it outside": the outdoor sensor, not every outbuilding's.
    const floorSaysOutdoors = (id: string | null | undefined): boolean => {
      const f = catalog.floor(id);
      return f !== undefined && [f.floor_id, f.name, ...f.aliases].some((n) => OUTDOOR.test(n.toLowerCase()));
    };
    const areaSaysOutdoors = (id: string): boolean => {
      const a = catalog.area(id);
      return a !== undefined && [a.area_id, a.name, ...a.aliases].some((n) => OUTDOOR.test(n.toLowerCase()));
    };
    const outdoors = t.floors.some(floorSaysOutdoors) || [...areas].some((a) => areaSaysOutdoors(a) || floorSaysOutdoors(catalog.area(a)?.floor_id));
    const outdoorNamed = entities.filter((e) => OUTDOOR.test(e.name.toLowerCase()));
    if (outdoors && outdoorNamed.length > 0) entities = outdoorNamed;
    if (entities.length === 0) return { ok: false, reason: 'nothing measures that there' };
    if (areas.size === 0 && entities.length > 1) return { ok: false, reason: 'where?' };
  } else {
    if (q.attrs.length) {
      // "how hot is it outside" where two sensors are called "outside": the one measuring heat.
      t.entitySpans = t.entitySpans.map((span) => {
        const devices = span.hits.map((h) => catalog.entity(h.id)).filter((e): e is Entity => e !== undefined);
        const keep = new Set(measured(q.attrs, devices).map((e) => e.entity_id));
        return keep.size ? { ...span, hits: span.hits.filter((h) => keep.has(h.id)) } : span;
      });
    }
    const r = resolveTargets(t, {
      catalog,
      speakerArea: wholeHomeQuestion ? null : speakerArea,
      previous: [],
      forQuery: true,
      domains: q.state ? STATE_DOMAINS[q.state] : undefined,
    });
    if (!r.ok) return r;
    entities = r.entities;
    // "is the back door open" of a lock called "Back Door": its contact sensor says whether the
    // door is open; the lock only whether it is locked.
    if ((q.state === 'open' || q.state === 'closed') && entities.length && entities.every((e) => e.domain === 'lock')) {
      const contacts = contactsOf(entities, catalog);
      if (contacts.length === entities.length) entities = contacts;
    }
    if (q.attrs.length) {
      // "the battery on the front door lock": the named device's own sensor ("Front Door Lock Battery").
      let m = measured(q.attrs, entities);
      if (m.length === 0) m = measured(q.attrs, sensorsOf(entities, catalog));
      if (m.length === 0) return { ok: false, reason: 'that does not measure it' };
      entities = m;
    }
  }
  const ids = entities.map((e) => e.entity_id);
  if (q.state && q.word !== 'what') {
    const matching = entities.filter((e) => inState(e, q.state as string) === true);
    if (entities.some((e) => inState(e, q.state as string) === undefined && e.state !== 'unavailable' && e.state !== 'unknown')) {
      return { ok: false, reason: 'cannot tell that state for these devices' };
    }
    if (entities.length === 1) {
      const e = entities[0] as Entity;
      const yes = matching.length === 1;
      return { ok: true, ids, speech: `${yes ? 'Yes' : 'No'}, ${e.name} is ${yes ? stateWord(e, q.state) : describeState(e)}.` };
    }
    if (matching.length === 0) return { ok: true, ids, speech: `None of them is ${q.state}.` };
    const names = joinNames(matching.map((e) => e.name));
    return { ok: true, ids, speech: `${names} ${matching.length === 1 ? 'is' : 'are'} ${stateWord(matching[0] as Entity, q.state)}.` };
  }
  if (q.word === 'which') return { ok: false, reason: 'which ... what?' };
  const speech = entities.map((e) => `${e.name} is ${describeState(e)}.`).join(' ');
  return { ok: true, ids, speech };
}
