// The fast path's view of the catalog's names: every way a request may name an entity, an area
// or a floor, keyed by normalised, stemmed tokens. Built once per catalog structure change (state
// changes do not touch names, so a ticking sensor never rebuilds it).
import type { Catalog } from '../../catalog/catalog.js';
import type { Entity } from '../../catalog/types.js';
import { nameKey, normalizeText, stem } from '../../catalog/normalize.js';
import { LEXICON, LEXICON_WORDS } from './lexicon.js';

export interface NameHit {
  kind: 'entity' | 'area' | 'floor';
  id: string;
  /** The whole name or alias, rather than its tail ("ceiling light" of "Kitchen Ceiling Light"). */
  full: boolean;
  /** The name itself is plural ("Fairy Lights"): saying it in the plural does not mean "all of them". */
  pluralName?: boolean;
}

/** Words that name a kind of device rather than one device; a name made only of them is no name. */
const GENERIC = new Set([
  'light', 'lamp', 'lighting', 'bulb', 'switch', 'plug', 'socket', 'outlet', 'fan', 'blind', 'shade',
  'curtain', 'shutter', 'cover', 'window', 'door', 'gate', 'lock', 'thermostat', 'tv', 'speaker',
  'sensor', 'valve', 'vacuum', 'alarm', 'scene', 'script', 'heater', 'temperature', 'humidity',
  'motion', 'left', 'right', 'front', 'back', 'main', 'big', 'small', 'top', 'bottom', 'upper',
  'lower', 'middle', 'center', 'centre', 'side', 'corner', 'ceiling', 'wall', 'floor', 'table',
  'strip', 'led', 'spot', 'spotlight', 'downlight', 'pendant', 'room', 'player', 'media', 'power',
  'energy', 'battery', 'status', 'mode', 'level', 'contact',
]);

export class CatalogIndex {
  readonly #names = new Map<string, NameHit[]>();
  /** The same keys with spaces removed, so "hall way" finds "hallway" and "livingroom" "living room". */
  readonly #joined = new Map<string, string>();
  /** Last words several rooms' names share ("office"), with those rooms. */
  readonly #areaFamilies = new Map<string, string[]>();
  /** Words of room and floor names. */
  readonly #placeWords = new Set<string>();
  /** Full names by their words in sorted order, for a name said in another order. */
  readonly #sorted = new Map<string, NameHit[]>();
  readonly vocabulary = new Set<string>(LEXICON_WORDS);
  maxNameTokens = 1;
  /** Single words of entity names ("spots", "strip"), for a device named by one word of its name. */
  readonly #nameWords = new Map<string, string[]>();
  /** Choices of some entity (preset modes, sources, options), by key: "sleep", "hdmi 1". */
  readonly #choices = new Map<string, string>();
  /** Leading words of multi-word choices -> the one choice they start (null when several do). */
  readonly #choiceHeads = new Map<string, string | null>();
  /** Entities whose name is just their area's name plus a generic noun ("Living Room Light"). */
  readonly areaPlusNoun = new Map<string, { areaId: string; noun: string }>();

  /** The entities requests may reach, in catalog order. */
  readonly exposed: Entity[];
  /** Exposed entities per area id. */
  readonly byArea = new Map<string, Entity[]>();
  /** Lower-case names and aliases per exposed entity. */
  readonly lowerNames = new Map<Entity, string[]>();

  constructor(readonly catalog: Catalog) {
    this.exposed = [...catalog.entities()].filter((e) => e.exposed);
    for (const e of this.exposed) {
      this.lowerNames.set(e, [e.name, ...e.aliases].map((n) => n.toLowerCase()));
      if (e.area_id === null) continue;
      const list = this.byArea.get(e.area_id) ?? [];
      list.push(e);
      this.byArea.set(e.area_id, list);
    }
    for (const floor of catalog.floors()) {
      for (const n of [floor.name, ...floor.aliases]) this.#add(nameKey(n), { kind: 'floor', id: floor.floor_id, full: true });
    }
    this.#addFloorWords();
    for (const area of catalog.areas()) {
      for (const n of [area.name, ...area.aliases]) this.#add(nameKey(n), { kind: 'area', id: area.area_id, full: true });
    }
    // "the kids night light", "the guest lamp": a "... Room" said without "room", when those words
    // mean nothing else.
    for (const area of catalog.areas()) {
      for (const n of [area.name, ...area.aliases]) {
        const key = nameKey(n);
        const head = key.slice(0, -1);
        if (key[key.length - 1] !== 'room' || head.length === 0 || LEXICON.has(head.join(' ')) || this.#names.has(head.join(' '))) continue;
        this.#add(head, { kind: 'area', id: area.area_id, full: false });
      }
    }
    // "the bedroom" for "Parents' Bedroom", "the entrance" for "Building Entrance": the last word
    // of a room's name, when no other room's name ends with it and it means nothing else.
    const tails = new Map<string, Set<string>>();
    for (const area of catalog.areas()) {
      for (const n of [area.name, ...area.aliases]) {
        const key = nameKey(n);
        const last = key[key.length - 1];
        if (key.length < 2 || last === undefined) continue;
        tails.set(last, (tails.get(last) ?? new Set()).add(area.area_id));
      }
    }
    for (const [last, ids] of tails) {
      if (last.length < 4 || GENERIC.has(last) || LEXICON.has(last) || this.#names.has(last) || /^\d/.test(last)) continue;
      // Shared by several rooms ("Front Office", "Back Office"): "both offices", in the plural only.
      if (ids.size > 1) this.#areaFamilies.set(last, [...ids]);
      else this.#add([last], { kind: 'area', id: [...ids][0] as string, full: false });
    }
    for (const a of [...catalog.areas(), ...catalog.floors()]) for (const n of [a.name, ...a.aliases]) for (const w of nameKey(n)) this.#placeWords.add(w);
    this.#placeWords.add('upstairs').add('downstairs');
    for (const entity of catalog.entities()) {
      if (entity.exposed) this.#addEntity(entity);
    }
    for (const [word] of this.#nameWords) if (this.#placeWords.has(word) || LEXICON.has(word) || /^\d/.test(word)) this.#nameWords.delete(word);
  }

  /**
   * Entities that have this word in their name, when the word is nothing else (not a lexicon
   * word, not an area): "the spots" for "Spot 1" and "Spot 2", "the strip" for "LED Strip".
   */
  nameWord(token: string): NameHit[] | undefined {
    const ids = this.#nameWords.get(token);
    return ids?.map((id) => ({ kind: 'entity' as const, id, full: false }));
  }

  /** Name hits for a span of stemmed tokens. */
  lookup(tokens: readonly string[]): NameHit[] | undefined {
    const key = tokens.join(' ');
    const direct = this.#names.get(key);
    if (direct) return direct;
    const viaJoin = this.#joined.get(tokens.join(''));
    if (viaJoin !== undefined) return this.#names.get(viaJoin);
    // Another order only for words that are nothing but words ("lock the front door" keeps its
    // verb; "three stair lights" is a count, not "Stair Light 3").
    const plain = tokens.every((t) => !/^\d/.test(t) && !(LEXICON.get(t) ?? []).some((r) => ORDER_BOUND.has(r.t)));
    // Two words only when neither names a place ("lights downstairs" is not "Downstairs Lights").
    const placeFree = tokens.length > 2 || tokens.every((t) => !this.#placeWords.has(t));
    return tokens.length > 1 && plain && placeFree ? this.#sorted.get([...tokens].sort().join(' ')) : undefined;
  }

  /** The rooms whose names end with this (stemmed) word, when several do. */
  areaFamily(token: string): string[] | undefined {
    return this.#areaFamilies.get(token);
  }

  areaIds(): string[] {
    return [...this.catalog.areas()].map((a) => a.area_id);
  }

  #addEntity(entity: Entity): void {
    this.#addChoices(entity);
    const area = this.catalog.area(entity.area_id);
    const areaKeys = area ? [area.name, ...area.aliases].map((n) => nameKey(n).join(' ')) : [];
    for (const name of [entity.name, ...entity.aliases]) {
      const key = nameKey(name);
      if (key.length === 0) continue;
      for (const w of key) {
        const ids = this.#nameWords.get(w) ?? [];
        if (!ids.includes(entity.entity_id)) ids.push(entity.entity_id);
        this.#nameWords.set(w, ids);
      }
      const lastRaw = normalizeText(name).split(' ').pop() ?? '';
      const pluralName = lastRaw !== stem(lastRaw) && lastRaw.endsWith('s');
      this.#add(key, { kind: 'entity', id: entity.entity_id, full: true, pluralName });
      // "left sofa lamp" for "Sofa Lamp Left": the same words in another order.
      if (key.length > 1) {
        const sorted = [...key].sort().join(' ');
        const list = this.#sorted.get(sorted) ?? [];
        if (!list.some((h) => h.id === entity.entity_id)) list.push({ kind: 'entity', id: entity.entity_id, full: true, pluralName });
        this.#sorted.set(sorted, list);
      }
      // "the tree uplights" for "Tree Uplight 1" and "Tree Uplight 2": a numbered family by its head.
      if (key.length > 1 && /^\d+$/.test(key[key.length - 1] as string) && !key.slice(0, -1).every((t) => GENERIC.has(t))) {
        this.#add(key.slice(0, -1), { kind: 'entity', id: entity.entity_id, full: false });
      }
      // The tails of a name: "ceiling light" for "Kitchen Ceiling Light", so that a name can be
      // said inside its area ("the ceiling light in the kitchen") or with the speaker's area.
      for (let start = 1; start < key.length; start++) {
        const tail = key.slice(start);
        if (tail.every((t) => GENERIC.has(t) || /^\d+$/.test(t))) continue;
        if (tail.every((t) => LEXICON_WORDS.has(t) && !this.#isNameWordOnly(t))) continue;
        // "outside lights" of "Garage Outside Lights" is a place and a kind, not this device.
        if (this.#placeWords.has(tail[0] as string)) continue;
        this.#add(tail, { kind: 'entity', id: entity.entity_id, full: false, pluralName });
      }
      const last = key[key.length - 1] as string;
      const head = key.slice(0, -1).join(' ');
      if (key.length > 1 && GENERIC.has(last) && areaKeys.includes(head)) {
        this.areaPlusNoun.set(entity.entity_id, { areaId: entity.area_id as string, noun: last });
      }
    }
  }

  #addChoices(entity: Entity): void {
    for (const attr of ['preset_modes', 'fan_modes', 'swing_modes', 'source_list', 'options', 'available_modes']) {
      const v = entity.attributes[attr];
      if (!Array.isArray(v)) continue;
      for (const choice of v) {
        if (typeof choice !== 'string') continue;
        const key = nameKey(choice);
        if (key.length === 0) continue;
        this.#choices.set(key.join(' '), choice);
        this.maxNameTokens = Math.max(this.maxNameTokens, key.length);
        for (const t of key) this.vocabulary.add(t);
        // "the playstation" for "PlayStation 5": the head of a choice, when no other choice shares it.
        for (let n = 1; n < key.length; n++) {
          const head = key.slice(0, n).join(' ');
          if (GENERIC.has(head) || /^\d/.test(head)) continue;
          const seen = this.#choiceHeads.get(head);
          this.#choiceHeads.set(head, seen === undefined || seen === choice ? choice : null);
        }
      }
    }
  }

  /** A device choice said in the request ("netflix", "hdmi 1", "sleep"), as the catalog writes it. */
  choice(tokens: readonly string[]): string | undefined {
    const key = tokens.join(' ');
    return this.#choices.get(key) ?? (this.#choices.has(key) ? undefined : this.#choiceHeads.get(key) ?? undefined);
  }

  #isNameWordOnly(token: string): boolean {
    return !LEXICON.has(token);
  }

  /** "upstairs" and "downstairs" from floor levels, unless a floor already uses the word. */
  #addFloorWords(): void {
    const floors = [...this.catalog.floors()];
    const claim = (word: string, ids: string[]): void => {
      if (ids.length === 0 || this.#names.has(word)) return;
      for (const id of ids) this.#add([word], { kind: 'floor', id, full: true });
    };
    claim('upstairs', floors.filter((f) => (f.level ?? 0) >= 1).map((f) => f.floor_id));
    claim('downstairs', floors.filter((f) => f.level === 0).map((f) => f.floor_id));
  }

  #add(tokens: string[], hit: NameHit): void {
    if (tokens.length === 0) return;
    const key = tokens.join(' ');
    const list = this.#names.get(key) ?? [];
    if (!list.some((h) => h.kind === hit.kind && h.id === hit.id)) list.push(hit);
    else if (hit.full) for (const h of list) if (h.kind === hit.kind && h.id === hit.id) h.full = true;
    this.#names.set(key, list);
    this.#joined.set(tokens.join(''), key);
    for (const t of tokens) this.vocabulary.add(t);
    this.maxNameTokens = Math.max(this.maxNameTokens, tokens.length);
  }
}

/** Readings whose place in a sentence carries meaning: a word with one is never reordered into a name. */
const ORDER_BOUND = new Set(['verb', 'split_verb', 'particle', 'rel', 'q', 'prep', 'state', 'neg', 'conj', 'all', 'everything', 'pronoun']);

/** One index per catalog, rebuilt lazily when the catalog's names change. */
export class CatalogIndexCache {
  #index: CatalogIndex | undefined;
  #catalog: Catalog | undefined;
  #version = -1;

  get(catalog: Catalog): CatalogIndex {
    if (this.#index === undefined || this.#catalog !== catalog || this.#version !== catalog.structureVersion) {
      this.#index = new CatalogIndex(catalog);
      this.#catalog = catalog;
      this.#version = catalog.structureVersion;
    }
    return this.#index;
  }
}
