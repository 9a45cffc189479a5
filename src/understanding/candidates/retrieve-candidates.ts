// The entities a request can mean: what the model planner is offered (its prompt and grammar) when
// the home is too large to show whole. A pure function of (request text, speaker's area, catalog,
// the conversation's last targets). Recall matters more than size: the model cannot choose a
// device it is not offered, so whole groups ("all the lights upstairs") are kept together, and a
// request that names nothing recognisable still gets the speaker's room.
import type { Catalog } from '../../catalog/catalog.js';
import type { Entity } from '../../catalog/types.js';
import type { CatalogIndex, NameHit } from '../fastpath/catalog-index.js';
import { LEXICON, type Tag } from '../fastpath/lexicon.js';
import { stem } from '../../catalog/normalize.js';
import { nounMatches } from '../fastpath/resolve.js';
import { tagTokens } from '../fastpath/tagger.js';
import { HINT_KINDS } from './hint-words.js';
import { prepareTokens } from '../fastpath/tokens.js';

export interface CandidateOptions {
  /** Most candidates offered, whole groups aside. */
  budget?: number;
  /** A group said as one ("all the lights upstairs") larger than this is reported, not offered. */
  maxGroup?: number;
  /** The conversation's last targets, for "it" / "them" / "turn it off". */
  previous?: readonly string[];
}

export interface Candidates {
  entity_ids: string[];
  /** Lower-ranked candidates were left out to keep within the budget. */
  truncated: boolean;
  /** A group the request names as a whole was larger than maxGroup (it is not offered). */
  group_too_large: boolean;
}

/** Kinds of device a verb or a quantity implies when the request names none. */
const IMPLIED: Partial<Record<string, string[]>> = {
  lock: ['lock'], unlock: ['lock'], play: ['music'], pause: ['music', 'vacuum'], next: ['music'],
  previous: ['music'], mute: ['music'], unmute: ['music'], dock: ['vacuum'], clean: ['vacuum'],
  arm: ['alarm'], arm_away: ['alarm'], arm_home: ['alarm'], arm_night: ['alarm'], disarm: ['alarm'],
  open: ['cover', 'valve'], close: ['cover', 'valve'], stop: ['cover', 'vacuum', 'music', 'valve', 'sprinkler'],
  oscillate_on: ['fan'], oscillate_off: ['fan'], reverse: ['fan'], forward: ['fan'], activate: ['scene', 'script'], start: ['vacuum', 'scene', 'script'],
};
const ATTR_NOUNS: Record<string, string[]> = {
  volume: ['music'], temperature: ['thermostat', 'temperature_sensor'], humidity: ['humidity_sensor'],
  brightness: ['light'], color: ['light'], speed: ['fan'], position: ['cover'], mode: [],
};

/** Quantities only a sensor reports: "the battery of the hoover" is the hoover's battery sensor. */
const MEASURED_BY_SENSOR = new Set(['battery', 'power', 'energy']);

const kindMemo = new WeakMap<CatalogIndex, Map<string, Set<Entity>>>();

/** nounMatches plus the measuring kinds a question can ask about. */
function kindMatches(kind: string, e: Entity): boolean {
  if (kind === 'temperature_sensor') return e.domain === 'sensor' && e.device_class === 'temperature';
  if (kind === 'humidity_sensor') return e.domain === 'sensor' && e.device_class === 'humidity';
  if (kind === 'heater') return nounMatches('heater', e, true) || nounMatches('heating', e, true);
  if (kind.endsWith('_sensor') && MEASURED_BY_SENSOR.has(kind.slice(0, -7))) return e.domain === 'sensor' && e.device_class === kind.slice(0, -7);
  return nounMatches(kind, e, true);
}

export function retrieveCandidates(
  text: string,
  speakerArea: string | null,
  catalog: Catalog,
  index: CatalogIndex,
  options: CandidateOptions = {},
): Candidates {
  const budget = options.budget ?? 40;
  const maxGroup = options.maxGroup ?? 200;
  const items = tagTokens(prepareTokens(text, index.vocabulary), index);

  const named: Array<{ hit: NameHit; common: boolean }> = [];
  const namedTexts = new Set<string>();
  const areas = new Set<string>();
  const kinds = new Set<string>();
  /** Kinds only a verb or a quantity implies ("pause" -> players, "warmer" -> thermostats): used
   *  when no device or kind is said. */
  const implied = new Set<string>();
  /** Kinds a feeling or a mood points at ("I'm freezing", "something relaxing"): weaker still,
   *  used only when nothing else, not even a room, is said. */
  const hinted = new Set<string>();
  /** Sensor kinds a question's quantity names ("battery"), offered beside whatever else is named. */
  const measuredKinds = new Set<string>();
  let all = false;
  let everything = false;
  let pronoun = false;
  /** "kill the lights and bump the heat up": each command of several may need its own kind. */
  const joined = items.some((i) => i.kind === 'lex' && i.readings.some((r) => r.t === 'conj'));
  /** Kinds a change implies in a request of several commands: offered beside the kinds said. */
  const changed = new Set<string>();
  for (const item of items) {
    if (item.kind === 'name') {
      // A name many devices share ("Temperature", "Ceiling") says little on its own: the
      // speaker's room decides among them, as it does for kinds of device.
      const asWord = LEXICON.get(item.text.split(' ').map(stem).join(' ')) ?? [];
      const common = item.hits.filter((h) => h.kind === 'entity').length > 3 || asWord.some((r) => r.t === 'attr' || r.t === 'noun');
      if (!common && item.hits.some((h) => h.kind === 'entity' && h.full)) namedTexts.add(item.text.toLowerCase());
      for (const h of item.hits) {
        if (h.kind === 'entity') named.push({ hit: h, common });
        else if (h.kind === 'area') areas.add(h.id);
        else for (const a of catalog.areas()) if (a.floor_id === h.id) areas.add(a.area_id);
      }
      if (item.noun) kinds.add(item.noun);
      // A name that is also an ordinary word ("Temperature") keeps that word's meaning too.
      for (const r of asWord) if (r.t === 'attr') for (const k of ATTR_NOUNS[r.attr] ?? []) implied.add(k);
      continue;
    }
    // Words that point at a kind without naming it ("freezing", "a film").
    if (item.kind === 'lex' || item.kind === 'unknown') {
      for (const w of item.text.toLowerCase().split(/\s+/)) for (const k of HINT_KINDS.get(stem(w)) ?? []) hinted.add(k);
    }
    if (item.kind !== 'lex') continue;
    for (const r of item.readings as Tag[]) {
      if (r.t === 'noun') kinds.add(r.noun);
      else if (r.t === 'attr' && MEASURED_BY_SENSOR.has(r.attr)) measuredKinds.add(`${r.attr}_sensor`);
      else if (r.t === 'attr') for (const k of ATTR_NOUNS[r.attr] ?? []) implied.add(k);
      else if (r.t === 'rel' && r.attr) {
        // A change is made on what can be set: "heat up" means thermostats, not thermometers.
        for (const k of ATTR_NOUNS[r.attr] ?? []) if (!k.endsWith('_sensor')) (joined ? changed : implied).add(k);
      }
      else if (r.t === 'verb') for (const k of IMPLIED[r.intent] ?? []) implied.add(k);
      else if (r.t === 'all') all = true;
      else if (r.t === 'everything') everything = true;
      else if (r.t === 'pronoun') pronoun = true;
    }
  }

  if (kinds.size === 0 && named.every((n) => n.common)) for (const k of implied) kinds.add(k);
  for (const k of changed) kinds.add(k);
  // Only hinted: "I'm freezing" means the speaker's room's heating (or the whole house's) when it
  // has some; the rest of the home only when it has none. With a room said, the room is offered.
  const onlyHinted = kinds.size === 0 && named.every((n) => n.common) && areas.size === 0 && hinted.size > 0;
  if (onlyHinted) for (const k of hinted) kinds.add(k);
  const exposed = index.exposed;
  const inAreas = (e: Entity, set: ReadonlySet<string>): boolean => e.area_id !== null && set.has(e.area_id);
  // Entities of each kind, computed once per catalog structure (kinds depend on names, domains
  // and device classes, not on states).
  let perKind = kindMemo.get(index);
  if (!perKind) kindMemo.set(index, (perKind = new Map()));
  const memo = perKind;
  const members = (k: string): Set<Entity> => {
    let set = memo.get(k);
    if (!set) memo.set(k, (set = new Set(index.exposed.filter((e) => kindMatches(k, e)))));
    return set;
  };
  const kindList = [...kinds];
  const ofKind = (e: Entity): boolean => kindList.some((k) => members(k).has(e));
  const chosen = new Map<string, number>(); // entity id -> score (higher first)
  const add = (e: Entity, score: number): void => {
    if ((chosen.get(e.entity_id) ?? -1) < score) chosen.set(e.entity_id, score);
  };
  // Groups said as one are offered whole, whatever the budget.
  const whole = new Set<string>();
  let groupTooLarge = false;
  const addGroup = (members: Entity[], score: number): void => {
    if (members.length > maxGroup) {
      groupTooLarge = true;
      return;
    }
    for (const e of members) {
      add(e, score);
      whole.add(e.entity_id);
    }
  };

  // 1. Devices named by name, alias or a tail of one: always offered, whatever the room said.
  for (const { hit, common } of named) {
    const e = catalog.entity(hit.id);
    if (!e?.exposed) continue;
    const local = e.area_id !== null && (areas.has(e.area_id) || (areas.size === 0 && e.area_id === speakerArea));
    add(e, common ? (local ? 95 : 55) : hit.full ? 100 : 90);
  }
  // The other entities of a named device ("Washing Machine" -> "Washing Machine Power").
  for (const text of namedTexts) {
    const prefix = `${text} `;
    for (const e of exposed) if ((index.lowerNames.get(e) ?? []).some((n) => n.startsWith(prefix))) add(e, 60);
  }
  // 2. Rooms and floors said: the devices of the kinds said there, or all of them if no kind.
  if (areas.size > 0) {
    const there = [...areas].flatMap((a) => index.byArea.get(a) ?? []);
    const kindThere = kinds.size ? there.filter(ofKind) : [];
    if (kindThere.length) addGroup(kindThere, 80);
    else if (everything || kinds.size === 0) addGroup(there, 70);
    else for (const e of there) add(e, 40); // a kind the room does not have: the room, ranked lower
  }
  // 3. Kinds said with no room: the speaker's room first, then the whole home ranked after it.
  if (kinds.size > 0 && areas.size === 0) {
    const home = [...new Set(kindList.flatMap((k) => [...members(k)]))];
    if (all && named.length === 0) addGroup(home, 75);
    const local = speakerArea ? home.filter((e) => e.area_id === speakerArea) : [];
    if (local.length) addGroup(local, 85);
    // None in the speaker's room: those on its floor first ("turn the heat up" on a landing
    // means that floor's zone).
    const floor = catalog.area(speakerArea)?.floor_id;
    if (!local.length && floor) for (const e of home) if (catalog.area(e.area_id)?.floor_id === floor) add(e, 60);
    if (!(onlyHinted && local.length)) for (const e of home) add(e, e.area_id === speakerArea ? 85 : 50);
    else for (const e of home) if (e.area_id === null) add(e, 50); // whole-house devices, routines
  }
  // 4. "it", "them": what the conversation talked about last.
  for (const id of options.previous ?? []) {
    const e = catalog.entity(id);
    if (e?.exposed) add(e, pronoun ? 95 : 20);
  }
  // 4b. "the battery of the upstairs hoover": sensors of that quantity in the rooms of what was
  // named (or the speaker's), else the home's, ranked below the devices themselves.
  if (measuredKinds.size > 0) {
    const places = new Set([...chosen.keys()].map((id) => catalog.entity(id)?.area_id).filter((a): a is string => typeof a === 'string'));
    for (const a of areas) places.add(a);
    if (places.size === 0 && speakerArea) places.add(speakerArea);
    const sensors = [...measuredKinds].flatMap((k) => [...members(k)]);
    const near = sensors.filter((e) => e.area_id !== null && places.has(e.area_id));
    for (const e of near.length ? near : sensors) add(e, 45);
  }
  // 5. Nothing recognisable: the speaker's room, so "turn that on" in the kitchen still has a chance,
  // and the home's routines (scenes, scripts): "get the house ready for bed" names no device but
  // may well mean one. They are few, and a routine is never a risky action.
  if (chosen.size === 0) {
    if (speakerArea) for (const e of index.byArea.get(speakerArea) ?? []) add(e, 30);
    for (const e of exposed) if (e.domain === 'scene' || e.domain === 'script') add(e, 25);
  }

  const ranked = [...chosen.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
  const kept = ranked.filter((id, i) => whole.has(id) || i < budget);
  // Keep whole groups even when that passes the budget; trim the rest to fit what is left.
  const groupIds = kept.filter((id) => whole.has(id));
  const room = Math.max(0, budget - groupIds.length);
  const others = kept.filter((id) => !whole.has(id)).slice(0, room);
  const keep = new Set([...groupIds, ...others]);
  const entity_ids = ranked.filter((id) => keep.has(id));
  return { entity_ids, truncated: entity_ids.length < ranked.length, group_too_large: groupTooLarge };
}
