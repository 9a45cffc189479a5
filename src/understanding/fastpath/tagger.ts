// Covers a request's tokens with spans: names from the home (entities, areas, floors), lexicon
// phrases and numbers. Longest span first; at equal length a name beats a lexicon phrase. A token
// nothing covers is reported as unknown, which makes the fast path step aside.
import type { CatalogIndex, NameHit } from './catalog-index.js';
import { LEXICON, MAX_PHRASE_TOKENS, type Intent, type Tag } from './lexicon.js';
import { nameKey } from '../../catalog/normalize.js';

const ARTICLES = new Set(['the', 'a', 'an']);
const STRUCTURAL = new Set<Tag['t']>(['verb', 'split_verb', 'particle', 'prep', 'conj', 'q', 'state', 'neg', 'unit', 'all', 'pronoun', 'rel']);
import type { Token } from './tokens.js';

export type Item =
  | { kind: 'lex'; readings: Tag[]; plural: boolean; text: string }
  | { kind: 'name'; hits: NameHit[]; plural: boolean; text: string; noun?: string; verb?: Intent; choice?: boolean }
  | { kind: 'number'; value: number; text: string }
  | { kind: 'unknown'; text: string };

export function tagTokens(tokens: readonly Token[], index: CatalogIndex): Item[] {
  const items: Item[] = [];
  const stems = tokens.map((t) => t.stem);
  let i = 0;
  /** The head of the numbered name just said ("stair light" of "stair lights 1"), for "... and 2". */
  let numberedHead: string[] | null = null;
  while (i < tokens.length) {
    const longest = Math.min(tokens.length, i + Math.max(MAX_PHRASE_TOKENS, index.maxNameTokens));
    let picked: { item: Item; end: number } | null = numberedByOrdinal(tokens, stems, i, index);
    // "stair lights one and two": the second number names the next of the same family.
    if (picked === null && numberedHead && /^\d+$/.test(tokens[i]?.raw ?? '') && tokens[i - 1]?.raw === 'and') {
      const next = numberedName(index, numberedHead, tokens[i]?.raw as string);
      if (next) picked = { item: { kind: 'name', hits: next, plural: false, text: tokens[i]?.raw as string }, end: i + 1 };
    }
    for (let end = longest; end > i && picked === null; end--) {
      const span = stems.slice(i, end);
      const text = tokens.slice(i, end).map((t) => t.raw).join(' ');
      // Names are stored without articles ("Feed the Fish" -> "feed fish"); a request keeps them.
      const inner = span.length > 2 && !ARTICLES.has(span[span.length - 1] as string);
      const bare = span.filter((w, k) => k === 0 || !ARTICLES.has(w));
      const hits = index.lookup(span) ?? (inner && bare.length < span.length ? index.lookup(bare) : undefined);
      const readings = LEXICON.get(span.join(' '));
      // A one-word name that is also a structural word ("Off", "Up") stays the structural word.
      // Part of one device's name said in the plural ("the boot dryers" with one "Glove Dryer"):
      // other things than that device, more likely.
      const loneTail = hits !== undefined && (tokens[end - 1] as Token).plural && hits.every((h) => h.kind === 'entity' && !h.full && !h.pluralName) && new Set(hits.map((h) => h.id)).size === 1;
      if (hits && !loneTail && !(span.length === 1 && readings?.some((r) => STRUCTURAL.has(r.t)))) {
        const plural = (tokens[end - 1] as Token).plural;
        // A name that is also a kind of device ("Curtains", "Ceiling light") keeps that reading
        // too, so the speaker's room can win over a same-named device elsewhere.
        const noun = readings?.find((r) => r.t === 'noun') as Extract<Tag, { t: 'noun' }> | undefined;
        const verb = span.length > 1 ? (readings?.find((r) => r.t === 'verb') as Extract<Tag, { t: 'verb' }> | undefined) : undefined;
        // A name that is also some device's setting ("Laundry" the room, "laundry" a mode).
        const choice = index.choice(span) !== undefined;
        picked = { item: { kind: 'name', hits, plural, text, ...(noun ? { noun: noun.noun } : {}), ...(verb ? { verb: verb.intent } : {}), ...(choice ? { choice } : {}) }, end };
        break;
      }
      if (readings) {
        // "set the hood to boost": a word that is also one of the home's choices keeps that reading.
        const choice = index.choice(span);
        const all = choice !== undefined && !readings.some((r) => r.t === 'mode') ? [...readings, { t: 'mode' as const, mode: choice }] : readings;
        picked = { item: { kind: 'lex', readings: all, plural: (tokens[end - 1] as Token).plural, text }, end };
        break;
      }
      const choice = index.choice(span);
      if (choice !== undefined) picked = { item: { kind: 'lex', readings: [{ t: 'mode', mode: choice }], plural: false, text }, end };
    }
    if (picked === null) {
      const tok = tokens[i] as Token;
      const wordHits = index.nameWord(tok.stem);
      if (/^\d+(\.\d+)?$/.test(tok.raw)) picked = { item: { kind: 'number', value: Number(tok.raw), text: tok.raw }, end: i + 1 };
      // One word of one device's name said in the plural ("the boot dryers" with a "Glove Dryer")
      // is more likely other things than that device.
      else if (wordHits && !(tok.plural && wordHits.length === 1)) picked = { item: { kind: 'name', hits: wordHits, plural: tok.plural, text: tok.raw }, end: i + 1 };
      // "both offices": every room whose name ends so, said in the plural.
      else if (tok.plural && index.areaFamily(tok.stem)) {
        const hits = (index.areaFamily(tok.stem) as string[]).map((id) => ({ kind: 'area' as const, id, full: false }));
        picked = { item: { kind: 'name', hits, plural: true, text: tok.raw }, end: i + 1 };
      }
      else picked = { item: { kind: 'unknown', text: tok.raw }, end: i + 1 };
    }
    items.push(...splitAreaPlusNoun(picked.item, index));
    const said = stems.slice(i, picked.end);
    if (picked.item.kind === 'name' && said.length > 1 && /^\d+$/.test(said[said.length - 1] as string)) numberedHead = said.slice(0, -1);
    else if (!(picked.item.kind === 'lex' && picked.item.readings.some((r) => r.t === 'conj'))) numberedHead = null;
    i = picked.end;
  }
  return items;
}

/** Devices called exactly "<head> <n>" ("Stair Light 2"), if any. */
function numberedName(index: CatalogIndex, head: readonly string[], n: string): NameHit[] | undefined {
  const hits = index.lookup([...head, n])?.filter((h) => h.kind === 'entity' && h.full);
  return hits?.length ? hits : undefined;
}

const ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
};

/**
 * "the second tree uplight" for "Tree Uplight 2" (also "the 2nd ..."): an ordinal before the head
 * of a numbered name, when a device has exactly that name.
 */
function numberedByOrdinal(tokens: readonly Token[], stems: string[], i: number, index: CatalogIndex): { item: Item; end: number } | null {
  const word = tokens[i]?.raw ?? '';
  let n = ORDINALS[word];
  let start = i + 1;
  if (n === undefined && /^\d+$/.test(word) && /^(st|nd|rd|th)$/.test(tokens[i + 1]?.raw ?? '')) {
    n = Number(word);
    start = i + 2;
  }
  if (n === undefined) return null;
  for (let end = Math.min(tokens.length, start + index.maxNameTokens); end > start; end--) {
    const hits = numberedName(index, stems.slice(start, end), String(n));
    if (hits) {
      const text = tokens.slice(i, end).map((t) => t.raw).join(' ');
      return { item: { kind: 'name', hits, plural: false, text }, end };
    }
  }
  return null;
}

/**
 * "the living room lights" said of a home whose "Living Room Light" is one of several lights in
 * that room: a plural of a name that is only area + noun means the room's lights, not the one.
 */
function splitAreaPlusNoun(item: Item, index: CatalogIndex): Item[] {
  if (item.kind !== 'name' || !item.plural) return [item];
  const full = item.hits.filter((h) => h.full && h.kind === 'entity');
  if (full.length !== 1 || item.hits.length !== 1) return [item];
  // A group the household made ("Kitchen Lights", with its members) is what its name says.
  if (Array.isArray(index.catalog.entity((full[0] as NameHit).id)?.attributes.entity_id)) return [item];
  const apn = index.areaPlusNoun.get((full[0] as NameHit).id);
  if (!apn) return [item];
  // Only when what was said is the room's name and the noun ("living room lights"); said by
  // another of its names ("the thick curtains", "the deck lights"), it is that device.
  const said = nameKey(item.text);
  const area = index.catalog.area(apn.areaId);
  const roomSaid = said.slice(0, -1).join(' ');
  if (!area || ![area.name, ...area.aliases].some((n) => nameKey(n).join(' ') === roomSaid)) return [item];
  if (index.catalog.entity((full[0] as NameHit).id)?.aliases.some((a) => nameKey(a).join(' ') === said.join(' '))) return [item];
  const noun = LEXICON.get(apn.noun)?.find((r) => r.t === 'noun');
  if (!noun) return [item];
  return [
    { kind: 'name', hits: [{ kind: 'area', id: apn.areaId, full: true }], plural: false, text: item.text },
    { kind: 'lex', readings: [noun], plural: true, text: apn.noun },
  ];
}
