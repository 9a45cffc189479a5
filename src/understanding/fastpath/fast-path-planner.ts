// The deterministic fast path: common commands and questions matched against the catalog with no
// model. It answers only when every word of the request is accounted for and every target is
// unambiguous; otherwise it says no_match and the model (or a human) takes the request.
import { stem } from '../../catalog/normalize.js';
import type { Catalog } from '../../catalog/catalog.js';
import type { Entity } from '../../catalog/types.js';
import type { Action } from '../../plan/types.js';
import type { ConversationMemory } from '../conversation-memory.js';
import type { PlanInput, Planner, Proposal } from '../planner.js';
import { callFor, domainsFor } from './actions.js';
import { CatalogIndexCache } from './catalog-index.js';
import { commandBesideRemarks } from './commentary.js';
import { type Command, emptyTargets, hasTargets, interpret, type TargetSpec } from './interpret.js';
import { answerQuery } from './query.js';
import { nounMatches, resolveTargets } from './resolve.js';
import { actionSpeech } from './speech.js';
import { tagTokens } from './tagger.js';
import { prepareTokens } from './tokens.js';

export interface FastPathResult extends Proposal {
  /** Why the fast path stepped aside; for logs and `--explain`, never spoken. */
  reason?: string;
}

const noMatch = (reason: string): FastPathResult => ({ status: 'no_match', actions: [], query_entity_ids: [], speech: '', reason });

/** The kind of device a command means when it names none ("pause", "make it warmer", "dock"). */
function impliedNoun(cmd: Command): string | null {
  const attr = cmd.rel?.attr ?? cmd.attrs[0];
  if (attr === 'volume') return 'music';
  if (attr === 'temperature') return 'thermostat';
  if (attr === 'brightness' || attr === 'color') return 'light';
  if (attr === 'speed') return 'fan';
  switch (cmd.intent) {
    case 'play':
    case 'pause':
    case 'next':
    case 'previous':
    case 'mute':
    case 'unmute':
      return 'music';
    case 'dock':
    case 'clean':
    case 'locate':
      return 'vacuum';
    case 'arm':
    case 'arm_away':
    case 'arm_home':
    case 'arm_night':
    case 'disarm':
      return 'alarm';
    case 'lock':
      return 'lock';
    default:
      return null;
  }
}

export interface FastPathOptions {
  /** Remembers each conversation's last targets for "it" / "them" in a follow-up request. */
  memory?: ConversationMemory;
}

export class FastPathPlanner implements Planner {
  readonly source = 'fast' as const;
  readonly #indexes = new CatalogIndexCache();
  readonly #memory: ConversationMemory | undefined;

  constructor(options: FastPathOptions = {}) {
    this.#memory = options.memory;
  }

  plan(input: PlanInput, catalog: Catalog): FastPathResult {
    const whole = this.#plan(input, catalog);
    if (whole.status !== 'no_match') return whole;
    // "Front Door: Lock", "Manor Alarm: Arm Away" (typed by automations and terminals): the
    // action said after the device.
    const labelled = /^\s*([^:]{2,80}):\s*([^:]{2,80})$/.exec(input.text);
    if (labelled) {
      const reordered = this.#plan({ ...input, text: `${labelled[2] as string} ${labelled[1] as string}` }, catalog);
      if (reordered.status !== 'no_match') return reordered;
    }
    // "the mood lamp in the sun room, could you make it light blue": a device said first, then a
    // command about "it".
    const topic = /^\s*([^,]{3,80}),\s*(.+)$/.exec(input.text);
    if (topic && /\b(it|them)\b/i.test(topic[2] as string) && this.#namesOnly(topic[1] as string, catalog)) {
      const said = (topic[2] as string).replace(/\b(it|them)\b/i, topic[1] as string);
      const resolved = this.#plan({ ...input, text: said }, catalog);
      if (resolved.status !== 'no_match') return resolved;
    }
    // "kettle on, kitchen spots to full and the speaker up": commas between commands;
    // "turn Kit's fan off and close his blind": "his" is the one just named.
    for (const text of [...restatements(input.text), ...this.#ownRoom(input, catalog)]) {
      const again = this.#plan({ ...input, text }, catalog);
      if (again.status !== 'no_match') return again;
    }
    // "disarm the alarm, I'm home": the command alone, when all the rest is a remark.
    const command = commandBesideRemarks(input.text, this.#indexes.get(catalog));
    if (command === null) return whole;
    const alone = this.#plan({ ...input, text: command }, catalog);
    return alone.status === 'no_match' ? whole : alone;
  }

  /**
   * "the office lights" said in the Back Office of a home with two offices: the speaker's own. The
   * word is said again as the speaker's room's full name; in any other room it stays a question.
   */
  #ownRoom(input: PlanInput, catalog: Catalog): string[] {
    const area = catalog.area(input.area_id);
    if (!area) return [];
    const index = this.#indexes.get(catalog);
    let changed = false;
    const words = input.text.split(/(\s+)/).map((w) => {
      const bare = w.toLowerCase().replace(/[^a-z]/g, '');
      if (bare === '' || !index.areaFamily(stem(bare))?.includes(area.area_id) || stem(bare) !== bare) return w;
      changed = true;
      return area.name;
    });
    return changed ? [words.join('')] : [];
  }

  /** Whether a phrase only names devices or places ("the mood lamp in the sun room"). */
  #namesOnly(text: string, catalog: Catalog): boolean {
    const index = this.#indexes.get(catalog);
    const items = tagTokens(prepareTokens(text, index.vocabulary), index);
    const named = items.some((i) => i.kind === 'name' || (i.kind === 'lex' && i.readings.some((r) => r.t === 'noun')));
    const other = items.some((i) => i.kind === 'unknown' || i.kind === 'number' || (i.kind === 'lex' && !i.readings.every((r) => r.t === 'filler' || r.t === 'noun' || r.t === 'prep')));
    return named && !other;
  }

  #plan(input: PlanInput, catalog: Catalog): FastPathResult {
    const index = this.#indexes.get(catalog);
    const tokens = prepareTokens(input.text, index.vocabulary);
    const parsed = interpret(tagTokens(tokens, index), /\?\s*$/.test(input.text));
    if (parsed.kind === 'fail') return noMatch(parsed.reason);
    const speakerArea = input.area_id && catalog.area(input.area_id) ? input.area_id : null;

    if (parsed.kind === 'query') {
      if (parsed.query.targets.here) {
        if (!speakerArea) return noMatch('"my" with no room known');
        parsed.query.targets.areas.push(speakerArea);
      }
      // Scenes, scripts and buttons have no state to ask about: "do movie night" is a request.
      if (parsed.query.targets.entitySpans.length && parsed.query.targets.entitySpans.every((s) => s.hits.every((h) => /^(scene|script|button)\./.test(h.id)))) {
        return noMatch('a question about a routine');
      }
      const answer = answerQuery(parsed.query, catalog, speakerArea);
      if (!answer.ok) return noMatch(answer.reason);
      this.#memory?.remember(input.conversation_id, answer.ids);
      return { status: 'ok', actions: [], query_entity_ids: answer.ids, speech: answer.speech };
    }

    const actions: Action[] = [];
    // "it" in the first command refers to what the conversation talked about last.
    let previous: Entity[] = (this.#memory?.recall(input.conversation_id) ?? [])
      .map((id) => catalog.entity(id))
      .filter((e): e is Entity => e !== undefined && e.exposed);
    for (const cmd of parsed.commands) {
      const targets = this.#targetsOf(cmd, catalog, speakerArea, previous);
      if (!targets.ok) return noMatch(targets.reason);
      for (const e of targets.entities) {
        const call = callFor(cmd, e);
        if (!call) return noMatch(`cannot apply that to ${e.entity_id}`);
        const same = actions.find((a) => a.domain === e.domain && a.service === call.service && sameData(a.data, call.data));
        if (same) {
          if (!same.entity_ids.includes(e.entity_id)) same.entity_ids.push(e.entity_id);
        } else {
          actions.push({ domain: e.domain, service: call.service, entity_ids: [e.entity_id], data: call.data });
        }
      }
      previous = targets.entities;
    }
    const merged = dropImpliedTurnOn(actions);
    if (merged.length === 0) return noMatch('no action');
    // "turn off the porch light, I want it on": one device told two opposite things is not a plan.
    if (opposed(merged)) return noMatch('opposite actions on one device');
    this.#memory?.remember(input.conversation_id, merged.flatMap((a) => a.entity_ids));
    return { status: 'ok', actions: merged, query_entity_ids: [], speech: actionSpeech(merged, catalog) };
  }

  #targetsOf(cmd: Command, catalog: Catalog, speakerArea: string | null, previous: Entity[]) {
    // "my heater": the speaker's room or nothing (never a housemate's heater in another room).
    for (const t of cmd.targets) {
      if (!t.here) continue;
      if (!speakerArea) return { ok: false as const, reason: '"my" with no room known' };
      if (!t.areas.includes(speakerArea)) t.areas.push(speakerArea);
    }
    // "make it warmer (in the office)" with nothing said before: "it" is the room, not a device.
    for (const t of cmd.targets) {
      if (t.pronoun && previous.length === 0 && t.entitySpans.length + t.nouns.length === 0) t.pronoun = false;
    }
    if (cmd.targets.some((t) => t.everything) && cmd.intent !== 'off') return { ok: false as const, reason: '"everything" only for off' };
    // "the heat pump fan to quiet": the fan of a climate device is its fan mode, not a fan.
    for (const t of cmd.targets) {
      const fanOfClimate = t.nouns.length === 1 && t.nouns[0]?.noun === 'fan' && t.entitySpans.length > 0 &&
        t.entitySpans.every((s) => s.hits.every((h) => h.id.startsWith('climate.')));
      if (fanOfClimate) {
        t.nouns = [];
        if (!cmd.attrs.includes('speed')) cmd.attrs.push('speed');
      }
    }
    const implied = impliedNoun(cmd);
    for (const t of cmd.targets) {
      // "make the kitchen brighter", "warmer in the study": the room plus the kind the action implies.
      if (implied && !t.everything && t.entitySpans.length === 0 && t.nouns.length === 0 && (t.areas.length || t.floors.length)) {
        t.nouns.push({ noun: implied, plural: true });
      }
    }
    const specs: TargetSpec[] = cmd.targets.filter((t) => hasTargets(t) || t.everything);
    if (cmd.targets.every((t) => t.entitySpans.length === 0 && t.nouns.length === 0 && !t.pronoun && !t.everything)) {
      const offering = this.#offeringPlayer(cmd, catalog, speakerArea);
      if (offering) return { ok: true as const, entities: [offering] };
    }
    if (specs.length === 0) {
      const noun = impliedNoun(cmd);
      if (!noun) return { ok: false as const, reason: 'no target' };
      // "turn on the tv and set the volume to 20": the device just named, when it fits.
      if (previous.length && previous.every((e) => nounMatches(noun, e)) && cmd.targets.every((t) => !t.areas.length && !t.floors.length)) {
        return { ok: true as const, entities: previous };
      }
      const spec = emptyTargets();
      spec.nouns.push({ noun, plural: false });
      // Any areas or "all" said without a device ("all", "upstairs") still scope the implied one.
      for (const t of cmd.targets) {
        spec.all ||= t.all;
        spec.areas.push(...t.areas);
        spec.floors.push(...t.floors);
      }
      if (noun === 'lock') spec.all = true; // "lock up": every lock, the safe direction
      if (noun === 'music' && !spec.areas.length && !spec.floors.length) return this.#playingOrOnly(cmd, catalog, speakerArea);
      specs.push(spec);
    } else if (specs.length === 1 && isBareMusic(specs[0] as TargetSpec)) {
      // "pause the music": the speaker's room's player, else the one playing.
      return this.#playingOrOnly(cmd, catalog, speakerArea);
    }
    const domains = domainsFor(cmd);
    const safeDirection = !cmd.rel && cmd.values.length === 0 && (cmd.intent === 'off' || cmd.intent === 'close' || cmd.intent === 'lock');
    const entities: Entity[] = [];
    const ctx = { catalog, speakerArea, previous, domains, safeDirection };
    // "the TV and the soundbar": a kind said beside a named device means the one in its room.
    const named = specs.filter((s) => s.entitySpans.length && !s.areas.length && !s.floors.length).map((s) => resolveTargets(s, ctx));
    const namedRooms = new Set(named.flatMap((r) => (r.ok ? r.entities.map((e) => e.area_id) : [])));
    const room = namedRooms.size === 1 ? [...namedRooms][0] : null;
    for (const spec of specs) {
      let r = resolveTargets(spec, ctx);
      const kindOnly = spec.entitySpans.length === 0 && !spec.areas.length && !spec.floors.length && !spec.all && !spec.pronoun;
      if (!r.ok && room && kindOnly) r = resolveTargets({ ...spec, areas: [room] }, ctx);
      if (!r.ok) return r;
      // "make the living room lights blue": the lamps that cannot show colour sit it out, as long
      // as some light can. A device named by name that cannot do it fails the whole request.
      let members = r.entities;
      if (r.group) {
        const able = members.filter((e) => callFor(cmd, e) !== null);
        if (able.length > 0) members = able;
      }
      for (const e of members) if (!entities.includes(e)) entities.push(e);
    }
    return { ok: true as const, entities };
  }

  /**
   * "put netflix on": a source only one player offers names that player (the speaker's room's
   * first, else the home's); a source several could play is left to the model.
   */
  #offeringPlayer(cmd: Command, catalog: Catalog, speakerArea: string | null): Entity | undefined {
    const v = cmd.values[0];
    if (cmd.values.length !== 1 || !v || v.number !== undefined || cmd.attrs.length || cmd.rel) return undefined;
    if (cmd.intent !== undefined && cmd.intent !== 'on' && cmd.intent !== 'set' && cmd.intent !== 'play') return undefined;
    const areas = new Set(cmd.targets.flatMap((t) => t.areas));
    const players = [...catalog.entities()].filter(
      (e) => e.exposed && e.domain === 'media_player' && (areas.size === 0 || (e.area_id !== null && areas.has(e.area_id))) && callFor({ ...cmd, intent: 'set' }, e)?.service === 'select_source',
    );
    const local = players.filter((e) => e.area_id === speakerArea);
    if (areas.size === 0 && speakerArea && local.length) return local.length === 1 ? local[0] : undefined;
    return players.length === 1 ? players[0] : undefined;
  }

  /** "pause", "next song": the speaker's room's player, else the one that is playing. */
  #playingOrOnly(cmd: Command, catalog: Catalog, speakerArea: string | null) {
    const players = [...catalog.entities()].filter((e) => e.exposed && e.domain === 'media_player');
    const local = players.filter((e) => e.area_id === speakerArea);
    if (speakerArea && local.length === 1) return { ok: true as const, entities: local };
    // "resume the music": the paused one. "Play some music" asks for something new: which
    // player was paused last says nothing about where.
    const resume = cmd.intent === 'play' && cmd.verbText !== 'play';
    const active = players.filter((e) => (cmd.intent === 'play' ? resume && e.state === 'paused' : e.state === 'playing'));
    if (active.length === 1) return { ok: true as const, entities: active };
    if (players.length === 1) return { ok: true as const, entities: players };
    return { ok: false as const, reason: 'which player?' };
  }
}

/**
 * The request said again in the form the parser reads, for a second try: commas between commands
 * as "and", and "his"/"her"/"their" as the one person named before them by a possessive.
 */
export function restatements(text: string): string[] {
  const out: string[] = [];
  const owners = [...new Set([...text.matchAll(/\b([A-Za-z]+)['’]s\b/g)].map((m) => m[1] as string))];
  const pronoun = /\b(his|her|their)\b/i;
  let owned = text;
  if (owners.length === 1 && pronoun.test(text) && text.search(pronoun) > text.indexOf(`${owners[0] as string}`)) {
    owned = text.replace(/\b(his|her|their)\b/gi, `${owners[0] as string}'s`);
    out.push(owned);
  }
  if (/,\s*\S/.test(text.trim().replace(/[,\s]+$/, ''))) {
    const commas = (t: string): string => t.trim().replace(/[,\s]+$/, '').replace(/\s*,\s*(and\s+)?/g, ' and ');
    out.push(commas(text));
    if (owned !== text) out.push(commas(owned));
  }
  return out;
}

function isBareMusic(t: TargetSpec): boolean {
  return t.entitySpans.length === 0 && t.areas.length === 0 && t.floors.length === 0 && t.nouns.length === 1 && t.nouns[0]?.noun === 'music' && !t.all;
}

/** Services that undo each other; toggle undoes anything. */
const OPPOSITE: Array<[string, string]> = [
  ['turn_on', 'turn_off'], ['open_cover', 'close_cover'], ['lock', 'unlock'], ['open_valve', 'close_valve'],
  ['media_play', 'media_pause'], ['start', 'return_to_base'], ['start', 'stop'], ['volume_up', 'volume_down'],
  ['increase_speed', 'decrease_speed'],
];

/** Whether some device is asked two services that undo each other (or an alarm both armed and disarmed). */
function opposed(actions: Action[]): boolean {
  const byEntity = new Map<string, Set<string>>();
  for (const a of actions) for (const id of a.entity_ids) byEntity.set(id, (byEntity.get(id) ?? new Set()).add(a.service));
  for (const services of byEntity.values()) {
    if (services.has('toggle') && services.size > 1) return true;
    if (services.has('alarm_disarm') && [...services].some((s) => s.startsWith('alarm_arm'))) return true;
    if (OPPOSITE.some(([x, y]) => services.has(x) && services.has(y))) return true;
  }
  return false;
}

/** "turn on the light and set it to 50 percent": the plain turn_on is implied by the second. */
function dropImpliedTurnOn(actions: Action[]): Action[] {
  const withData = new Set(actions.filter((a) => a.service === 'turn_on' && Object.keys(a.data).length).flatMap((a) => a.entity_ids));
  const out: Action[] = [];
  for (const a of actions) {
    if (a.service === 'turn_on' && Object.keys(a.data).length === 0) {
      const rest = a.entity_ids.filter((id) => !withData.has(id));
      if (rest.length === 0) continue;
      out.push({ ...a, entity_ids: rest as Action['entity_ids'] });
    } else out.push(a);
  }
  return out;
}

function sameData(a: Action['data'], b: Action['data']): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
