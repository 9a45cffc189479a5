// Turns what the user named (devices, rooms, floors, kinds of device) into concrete entity ids.
// When a name could mean several devices and nothing in the request or the speaker's room picks
// one, resolution fails rather than guessing.
import type { Catalog } from '../../catalog/catalog.js';
import type { Entity } from '../../catalog/types.js';
import { nameKey } from '../../catalog/normalize.js';
import type { TargetSpec } from './interpret.js';

export interface ResolveContext {
  catalog: Catalog;
  speakerArea: string | null;
  /** Entities of the previous command in the same request, for "it" / "them". */
  previous: Entity[];
  /** Domains the action can apply to; narrows nouns like "door" (lock, cover, sensor). */
  domains?: ReadonlySet<string>;
  /** A question rather than a command: sensors count, and "which lights" means all of them. */
  forQuery?: boolean;
  /** The action makes things safer or quieter (off, close, lock): a plural may mean the whole home. */
  safeDirection?: boolean;
}

export type Resolution =
  | {
      ok: true;
      entities: Entity[];
      explicitArea: boolean;
      /** Reached through a kind of device ("the lights"), not by name: members that cannot do the action may be left out. */
      group: boolean;
    }
  | { ok: false; reason: string };

const EVERYTHING = new Set(['light', 'switch', 'fan', 'media_player']);
const COVER_CLASS_NOUNS = new Set(['blind', 'shade', 'curtain', 'shutter', 'awning', 'window', 'gate']);

// Name words per entity object, recomputed only when its name or aliases are replaced.
const wordCache = new WeakMap<Entity, { name: string; aliases: readonly string[]; words: Set<string> }>();
function nameWords(e: Entity): Set<string> {
  const hit = wordCache.get(e);
  if (hit && hit.name === e.name && hit.aliases === e.aliases) return hit.words;
  const words = new Set([e.name, ...e.aliases, e.object_id].flatMap((n) => nameKey(n)));
  wordCache.set(e, { name: e.name, aliases: e.aliases, words });
  return words;
}

/** Whether an entity is what a noun like "lamp" or "blinds" names. */
export function nounMatches(noun: string, e: Entity, forQuery = false): boolean {
  const words = nameWords(e);
  switch (noun) {
    case 'light':
      return e.domain === 'light';
    case 'lamp':
      return e.domain === 'light' && words.has('lamp');
    case 'ceiling_light':
      return e.domain === 'light' && (words.has('ceiling') || words.has('overhead') || words.has('main'));
    case 'switch':
      return e.domain === 'switch' || e.domain === 'input_boolean';
    case 'fan':
      return e.domain === 'fan';
    case 'cover':
      return e.domain === 'cover';
    case 'garage_door':
      return e.domain === 'cover' && (e.device_class === 'garage' || (words.has('garage') && words.has('door')));
    case 'door':
      if (e.domain === 'lock') return true;
      // A garage door is "the garage door"; "the door" alone is not it.
      if (e.domain === 'cover') return e.device_class === 'door';
      return forQuery && e.domain === 'binary_sensor' && e.device_class === 'door';
    case 'window':
      // A skylight is a window; "Bay Window Blinds" is a blind.
      if (e.domain === 'cover') return e.device_class === 'window' || (words.has('window') && (e.device_class === null || e.device_class === 'window'));
      return forQuery && e.domain === 'binary_sensor' && e.device_class === 'window';
    case 'thermostat':
      return e.domain === 'climate';
    case 'heater':
      return words.has('heater');
    case 'heating': {
      if (e.domain !== 'climate') return false;
      const modes = e.attributes.hvac_modes;
      return !Array.isArray(modes) || modes.includes('heat') || modes.includes('heat_cool');
    }
    case 'ac': {
      // Named as an air conditioner, or a climate device that cools and does not heat.
      if (e.domain !== 'climate') return false;
      if (['ac', 'air', 'aircon', 'conditioner', 'conditioning', 'cooler', 'cooling'].some((w) => words.has(w))) return true;
      const modes = e.attributes.hvac_modes;
      return Array.isArray(modes) && modes.includes('cool') && !modes.includes('heat') && !modes.includes('heat_cool');
    }
    case 'tv':
      return e.domain === 'media_player' && (e.device_class === 'tv' || words.has('tv') || words.has('television'));
    case 'speaker':
      return e.domain === 'media_player' && (e.device_class === 'speaker' || words.has('speaker'));
    case 'music':
      return e.domain === 'media_player';
    case 'radio':
      return e.domain === 'media_player' && (words.has('radio') || words.has('stereo') || words.has('hifi'));
    case 'lock':
      return e.domain === 'lock';
    case 'vacuum':
      return e.domain === 'vacuum';
    case 'valve':
      return e.domain === 'valve';
    case 'sprinkler':
      // Valves that water something outside, never the house's water main.
      return e.domain === 'valve' && [...words].some((w) => IRRIGATION.has(w));
    case 'alarm':
      return e.domain === 'alarm_control_panel';
    case 'scene':
      return e.domain === 'scene';
    case 'script':
      return e.domain === 'script';
    case 'sensor':
      return e.domain === 'sensor' || e.domain === 'binary_sensor';
    case 'motion':
      return e.domain === 'binary_sensor' && (e.device_class === 'motion' || e.device_class === 'occupancy');
    case 'smoke':
      return e.domain === 'binary_sensor' && (e.device_class === 'smoke' || e.device_class === 'carbon_monoxide' && words.has('smoke'));
    case 'leak':
      return e.domain === 'binary_sensor' && e.device_class === 'moisture';
    default:
      if (COVER_CLASS_NOUNS.has(noun)) return e.domain === 'cover' && (e.device_class === noun || words.has(noun));
      return false;
  }
}

const WINDOW_COVERINGS = new Set(['blind', 'shade']);
const IRRIGATION = new Set(['sprinkler', 'sprinklers', 'irrigation', 'zone', 'lawn', 'garden', 'drip', 'watering', 'hose', 'yard', 'bed', 'flower', 'plant', 'plants', 'veg', 'vege', 'vegetable', 'greenhouse', 'orchard', 'hedge', 'grass', 'soaker', 'mister', 'rachio']);

function areasInScope(spec: TargetSpec, catalog: Catalog): Set<string> {
  const areas = new Set(spec.areas);
  for (const f of spec.floors) for (const a of catalog.areas()) if (a.floor_id === f) areas.add(a.area_id);
  return areas;
}

export function resolveTargets(spec: TargetSpec, ctx: ResolveContext): Resolution {
  const { catalog } = ctx;
  if (spec.pronoun) {
    if (spec.entitySpans.length || spec.nouns.length || spec.areas.length) return { ok: false, reason: 'a pronoun with a name' };
    if (ctx.previous.length === 0) return { ok: false, reason: '"it" without anything said before' };
    return { ok: true, entities: ctx.previous, explicitArea: false, group: false };
  }
  const scope = areasInScope(spec, catalog);
  const explicitArea = scope.size > 0;
  const inArea = (e: Entity, areas: Set<string>): boolean => e.area_id !== null && areas.has(e.area_id);
  const usable = (e: Entity): boolean => e.exposed && (ctx.domains === undefined || ctx.domains.has(e.domain));

  if (spec.entitySpans.length) {
    // A lamp is a light: "the left bedside lamp" for a light called "Bedside Left".
    const fits = (noun: string, id: string): boolean => nounMatchesId(noun, id, catalog) || (noun === 'lamp' && id.startsWith('light.'));
    if (spec.nouns.length && !spec.entitySpans.every((s) => spec.nouns.some((n) => s.hits.some((h) => fits(n.noun, h.id))))) {
      // "the hot tub lights" where "Hot Tub" is the tub and "Tub Lights" its lights: the one device
      // of the kind said that shares a word of the name, in the named device's room.
      const kin = spec.entitySpans.length === 1 && spec.nouns.length === 1 ? nameKin(spec.entitySpans[0] as TargetSpec['entitySpans'][number], (spec.nouns[0] as { noun: string }).noun, catalog, usable) : [];
      if (kin.length === 1) return { ok: true, entities: kin, explicitArea, group: false };
      // "the sofa lamp light" is fine; "the kettle fan" is two things we cannot read as one.
      return { ok: false, reason: 'a name with a noun that does not fit it' };
    }
    const out: Entity[] = [];
    for (const span of spec.entitySpans) {
      // "turn off the kitchen" with a speaker called "Kitchen": the room or the device?
      // ("close the garage" is the garage door: only a device can be closed.)
      if (span.alsoPlace && spec.nouns.length === 0 && !spec.everything && ctx.domains === undefined) return { ok: false, reason: `"${span.text}" is a room and a device` };
      let cands = span.hits.map((h) => catalog.entity(h.id)).filter((e): e is Entity => e !== undefined && usable(e));
      if (cands.length === 0 && ctx.domains !== undefined && nameKey(span.text).length > 1) {
        // "lock the front door" where "Front Door" is the door's opener and the lock is "Front Door
        // Lock": the one device the action fits whose name starts with what was said.
        const said = `${nameKey(span.text).join(' ')} `;
        const led = [...catalog.entities()].filter((e) => usable(e) && [e.name, ...e.aliases].some((n) => `${nameKey(n).join(' ')} `.startsWith(said)));
        if (led.length === 1) cands = led;
      }
      // A name that is also a kind of device ("Curtains") counts devices of that kind in the
      // room being talked about as candidates too.
      const kindIn = (areas: Set<string>): Entity[] =>
        span.noun === undefined ? [] : [...catalog.entities()].filter((e) => usable(e) && inArea(e, areas) && nounMatches(span.noun as string, e, ctx.forQuery));
      // "all the blinds downstairs" in a home with a blind called "Blind": every blind there.
      const group = explicitArea && span.noun !== undefined && (spec.all || (span.plural && !span.hits.some((h) => h.pluralName)));
      if (explicitArea) {
        cands = cands.filter((e) => inArea(e, scope));
        if (group) cands = [...new Set([...cands, ...kindIn(scope)])];
        if (cands.length === 0) cands = kindIn(scope);
        if (cands.length === 0) return { ok: false, reason: `no "${span.text}" there` };
      } else {
        const here = new Set(ctx.speakerArea ? [ctx.speakerArea] : []);
        const local = ctx.speakerArea ? [...cands.filter((e) => inArea(e, here)), ...kindIn(here)] : [];
        if (local.length) cands = [...new Set(local)];
        else if (ctx.forQuery && span.noun !== undefined && span.plural && !span.hits.some((h) => h.pluralName)) {
          // "are the smoke detectors ok" where only one is called "... Smoke Detector": asked
          // in the plural, about every device of that kind.
          const kind = [...catalog.entities()].filter((e) => usable(e) && nounMatches(span.noun as string, e, true));
          if (kind.length > cands.length && cands.every((e) => kind.includes(e))) cands = kind;
        } else if (span.noun === 'music' && !spec.all) {
          // "pause the music" with a speaker called "Music": the word is what plays on any player,
          // not only the one so called. (A "Thermostat" is that thermostat: it names a device.)
          const kind = [...catalog.entities()].filter((e) => usable(e) && nounMatches(span.noun as string, e, ctx.forQuery));
          if (kind.some((e) => !cands.includes(e))) return { ok: false, reason: `"${span.text}" is a name and a kind of device` };
        }
      }
      if (cands.length === 0) return { ok: false, reason: `"${span.text}" cannot do that` };
      if (cands.length > 1 && !group) {
        const full = cands.filter((e) => span.hits.some((h) => h.id === e.entity_id && h.full));
        if (full.length === 1) cands = full;
      }
      const saidPlural = span.plural && !span.hits.some((h) => h.pluralName);
      if (cands.length > 1 && !saidPlural && !spec.all) return { ok: false, reason: `"${span.text}" is ambiguous` };
      for (const e of cands) if (!out.includes(e)) out.push(e);
    }
    return { ok: true, entities: out, explicitArea, group: false };
  }

  if (spec.everything && spec.nouns.length === 0) {
    // "everything in the office": every switchable device there (lights, switches, fans, players).
    const areas = explicitArea ? scope : ctx.speakerArea ? new Set([ctx.speakerArea]) : null;
    if (!areas) return { ok: false, reason: '"everything" with no room' };
    const found = [...catalog.entities()].filter((e) => usable(e) && inArea(e, areas) && EVERYTHING.has(e.domain));
    if (found.length === 0) return { ok: false, reason: 'nothing there' };
    return { ok: true, entities: found, explicitArea, group: true };
  }
  if (spec.nouns.length === 0) {
    // An area alone names no kind of device ("turn off the kitchen"), unless the action itself
    // does and the area has exactly one such device ("open the garage", "lock the back door").
    if (explicitArea && ctx.domains && !ctx.forQuery) {
      const only = [...catalog.entities()].filter((e) => usable(e) && inArea(e, scope));
      if (only.length === 1) return { ok: true, entities: only, explicitArea, group: false };
      // "open the garage" where the water main is in the garage too: the one cover is meant.
      const covers = only.filter((e) => e.domain === 'cover');
      if (covers.length === 1 && only.every((e) => e.domain === 'cover' || e.domain === 'valve')) return { ok: true, entities: covers, explicitArea, group: false };
    }
    return { ok: false, reason: spec.areas.length || spec.floors.length ? 'a room without a device' : 'no target' };
  }

  // "all the shades upstairs": said of a whole group, blinds and shades are one kind (the words are
  // used interchangeably); one blind or one shade still has to be the one said.
  const nouns = spec.all ? spec.nouns.flatMap((n) => (WINDOW_COVERINGS.has(n.noun) ? [...WINDOW_COVERINGS].map((noun) => ({ ...n, noun })) : [n])) : spec.nouns;
  // "the heater" in a home where nothing is called one: its heating.
  const anyHeater = nouns.some((n) => n.noun === 'heater') && [...catalog.entities()].some((e) => usable(e) && nounMatches('heater', e));
  const matchAny = (e: Entity): boolean =>
    nouns.some((n) => (n.noun === 'heater' && !anyHeater ? nounMatches('heating', e, ctx.forQuery) : nounMatches(n.noun, e, ctx.forQuery)));
  const plural = spec.nouns.some((n) => n.plural) || spec.all;
  const everything = [...catalog.entities()].filter((e) => usable(e) && matchAny(e));
  let found: Entity[];
  if (explicitArea) {
    found = everything.filter((e) => inArea(e, scope));
  } else if (ctx.speakerArea && everything.some((e) => e.area_id === ctx.speakerArea) && !spec.all) {
    found = everything.filter((e) => e.area_id === ctx.speakerArea);
  } else if (ctx.speakerArea && !spec.all && !plural && nouns.every((n) => ZONED.has(n.noun)) && floorZone(everything, ctx.speakerArea, catalog).length === 1) {
    // "turn the heat down" on a landing with no thermostat of its own: the one zone of its floor.
    found = floorZone(everything, ctx.speakerArea, catalog);
  } else if (ctx.speakerArea && spec.all && !ctx.forQuery) {
    // "turn off all the lights" from a room: the whole home, as said.
    found = everything;
  } else {
    found = everything;
    if (!plural && found.length > 1) return { ok: false, reason: 'which one?' };
    // "turn on the lights" with no room said or known: the whole home only when said ("all the
    // lights"), or for the safe direction ("turn off the lights", "lock the doors").
    if (found.length > 1 && !spec.all && !ctx.forQuery && !ctx.safeDirection) return { ok: false, reason: 'where?' };
  }
  // "the basement AC" where the basement's unit is a heat pump: any unit there that cools.
  if (found.length === 0 && explicitArea && spec.nouns.some((n) => n.noun === 'ac')) {
    found = [...catalog.entities()].filter((e) => usable(e) && inArea(e, scope) && e.domain === 'climate' && (e.attributes.hvac_modes as unknown[] | undefined)?.includes('cool'));
  }
  if (found.length === 0) return { ok: false, reason: 'nothing like that there' };
  // "the kitchen light" in a kitchen with two lights means both; other singular nouns must be
  // unique in their scope ("open the blind" with two blinds is a question, not a command).
  // Heating is one system however many zones it has: "the heating downstairs" is all of them.
  const lightsOnly = spec.nouns.every((n) => n.noun === 'light' || n.noun === 'heating');
  if (found.length > 1 && !plural && !(lightsOnly && (explicitArea || ctx.speakerArea)) && !ctx.forQuery) {
    return { ok: false, reason: 'which one?' };
  }
  return { ok: true, entities: found, explicitArea, group: true };
}

/** Devices of `noun`'s kind, in the rooms of the devices the span names, sharing a word of its name. */
function nameKin(span: TargetSpec['entitySpans'][number], noun: string, catalog: Catalog, usable: (e: Entity) => boolean): Entity[] {
  const named = span.hits.map((h) => catalog.entity(h.id)).filter((e): e is Entity => e !== undefined);
  const rooms = new Set(named.map((e) => e.area_id));
  const said = new Set(nameKey(span.text).filter((w) => w.length > 2));
  return [...catalog.entities()].filter(
    (e) => usable(e) && !named.includes(e) && rooms.has(e.area_id) && nounMatches(noun, e) && nameKey(e.name).some((w) => said.has(w)),
  );
}

/** Kinds of device that usually serve a whole floor (heating zones), not one room. */
const ZONED = new Set(['thermostat', 'heating', 'heater', 'ac']);

/** Of these devices, those in rooms on the floor of `areaId`. */
function floorZone(devices: Entity[], areaId: string, catalog: Catalog): Entity[] {
  const floor = catalog.area(areaId)?.floor_id;
  if (!floor) return [];
  return devices.filter((e) => e.domain === 'climate' && catalog.area(e.area_id)?.floor_id === floor);
}

function nounMatchesId(noun: string, id: string, catalog: Catalog): boolean {
  const e = catalog.entity(id);
  return e !== undefined && nounMatches(noun, e);
}
