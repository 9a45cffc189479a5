// Reads tagged items as commands ("turn off the tv and the sofa lamp", "kitchen lights to 30
// percent") or as one state question. Anything that does not fit the shapes below is a failure
// with a reason: the fast path prefers "not sure" to a guess.
import type { NameHit } from './catalog-index.js';
import type { Attr, Intent, Tag } from './lexicon.js';
import type { Item } from './tagger.js';

export interface TargetSpec {
  entitySpans: Array<{ hits: NameHit[]; plural: boolean; text: string; noun?: string; alsoPlace?: boolean }>;
  areas: string[];
  floors: string[];
  nouns: Array<{ noun: string; plural: boolean }>;
  all: boolean;
  /** "everything in the office" */
  everything: boolean;
  pronoun: boolean;
  /** "my lamp": in the speaker's room only. */
  here?: boolean;
}

/** A value the user gave: a number with its unit, or a word with all its readings. */
export interface Value {
  number?: number;
  unit?: 'percent' | 'degrees' | 'kelvin';
  readings: Tag[];
  text: string;
  /** Said after "by": a step, not a target ("dim by 20 percent"). */
  by: boolean;
}

export interface Command {
  intent?: Intent;
  /** From a verb ("turn on") rather than only a particle or an inherited intent. */
  verbText?: string;
  rel?: { dir: 1 | -1; attr?: Attr; text: string };
  attrs: Attr[];
  values: Value[];
  targets: TargetSpec[];
  /** "a little", "a bit": only a relative change can honour it. */
  partial?: boolean;
  /** "switch the tv and the soundbar off": a split verb whose particle comes in a later phrase. */
  awaitsParticle?: boolean;
  /** The intent came from a particle alone ("... the soundbar off"). */
  particleIntent?: boolean;
  /** The phrase opened with "on"/"off" as its verb ("off the fan"). */
  leadParticle?: boolean;
  /** Targets said in a later phrase with no verb of its own joined this one ("... and the fan"). */
  borrowedTargets?: boolean;
}

export interface Query {
  word: 'is' | 'what' | 'which' | 'how';
  state?: string;
  attrs: Attr[];
  targets: TargetSpec;
}

export type Parsed =
  | { kind: 'commands'; commands: Command[] }
  | { kind: 'query'; query: Query }
  | { kind: 'fail'; reason: string };

const fail = (reason: string): Parsed => ({ kind: 'fail', reason });

export function emptyTargets(): TargetSpec {
  return { entitySpans: [], areas: [], floors: [], nouns: [], all: false, everything: false, pronoun: false };
}

export function hasTargets(t: TargetSpec): boolean {
  return t.entitySpans.length + t.areas.length + t.floors.length + t.nouns.length > 0 || t.pronoun;
}

const has = (item: Item, t: Tag['t']): boolean => item.kind === 'lex' && item.readings.some((r) => r.t === t);
const reading = <T extends Tag['t']>(item: Item, t: T): Extract<Tag, { t: T }> | undefined =>
  item.kind === 'lex' ? (item.readings.find((r) => r.t === t) as Extract<Tag, { t: T }> | undefined) : undefined;

const isFiller = (i: Item): boolean => i.kind === 'lex' && i.readings.every((r) => r.t === 'filler');

/** "tell the vacuum to go home" -> "go home the vacuum": the device moves after its verb. */
function reorderTell(all: Item[]): Item[] {
  const causative = reorderHave(all) ?? reorderVerbLast(all);
  if (causative) return causative;
  const lead = all.findIndex((i) => i.kind === 'lex' && (i.text === 'tell' || i.text === 'ask'));
  if (lead < 0 || !all.slice(0, lead).every(isFiller)) return all;
  const to = all.findIndex((i, k) => k > lead && reading(i, 'prep')?.word === 'to');
  if (to < lead + 2) return all;
  const named = all.slice(lead + 1, to);
  if (!named.every((i) => i.kind === 'name' || isFiller(i) || has(i, 'noun'))) return all;
  const rest = all.slice(to + 1).filter((i) => !isFiller(i));
  const verb = rest[0];
  if (!verb || !has(verb, 'verb')) return all;
  return [verb, ...named, ...rest.slice(1)];
}

/**
 * "awning open please", "light of the hallway open", "bedroom lights switch off": the device first
 * and the verb last, with nothing after it — the order many languages use. The verb goes first.
 */
const valueLike = (i: Item): boolean => i.kind === 'number' || has(i, 'unit') || has(i, 'level') || has(i, 'color') || has(i, 'ct') || has(i, 'speed');

function reorderVerbLast(all: Item[]): Item[] | null {
  const said = all.filter((i) => !isFiller(i));
  const targetLike = (i: Item): boolean => i.kind === 'name' || has(i, 'noun') || has(i, 'all') || (has(i, 'prep') && /^(of|in|on)$/.test(reading(i, 'prep')?.word ?? ''));
  let k = 0;
  while (k < said.length && targetLike(said[k] as Item)) k += 1;
  if (k === 0 || !said.slice(0, k).some((i) => i.kind === 'name' || has(i, 'noun'))) return null;
  let v = k;
  while (v < said.length && valueLike(said[v] as Item)) v += 1;
  if (v > k && v === said.length - 1 && reading(said[v] as Item, 'verb') && reading(said[v] as Item, 'verb')?.intent !== 'set') {
    return [said[v] as Item, ...said.slice(0, k), ...said.slice(k, v)];
  }
  const tail = said.slice(k);
  const verb = tail[0];
  if (!verb || reading(verb, 'verb') === undefined || reading(verb, 'verb')?.intent === 'set') {
    // "... switch off": a split verb and its particle.
    if (tail.length === 2 && verb && has(verb, 'split_verb') && reading(tail[1] as Item, 'particle')) return [...tail, ...said.slice(0, k)];
    return null;
  }
  // "grandma curtains open forty percent", "curtains a third open": a value may follow the verb,
  // or come just before it.
  if (tail.length > 1 && tail.slice(1).every(valueLike)) return [verb, ...said.slice(0, k), ...tail.slice(1)];
  return tail.length === 1 ? [verb, ...said.slice(0, k)] : null;
}

/** "have the robot clean the house", "get the fan to swing" -> the verb first, then the device. */
function reorderHave(all: Item[]): Item[] | null {
  const lead = all.findIndex((i) => i.kind === 'lex' && (i.text === 'have' || i.text === 'get'));
  if (lead < 0 || !all.slice(0, lead).every(isFiller)) return null;
  let k = lead + 1;
  while (k < all.length && (isFiller(all[k] as Item) || (all[k] as Item).kind === 'name' || has(all[k] as Item, 'noun'))) k += 1;
  const named = all.slice(lead + 1, k).filter((i) => !isFiller(i));
  if (named.length === 0) return null;
  let at = k;
  if (at < all.length && reading(all[at] as Item, 'prep')?.word === 'to') at += 1;
  const verb = all[at];
  if (!verb || !has(verb, 'verb') || reading(verb, 'verb')?.intent === 'set') return null;
  return [verb, ...named, ...all.slice(at + 1)];
}

/** `asked`: the request was written as a question (it ends with "?"). */
export function interpret(input: Item[], asked = false): Parsed {
  const all = reorderTell(input);
  const unknown = all.find((i) => i.kind === 'unknown');
  if (unknown) return fail(`unknown word "${unknown.text}"`);
  if (all.some((i) => has(i, 'neg'))) return fail('negation');
  // Fillers carry nothing, but only when they have no other reading ("up", "to", ...).
  const items = all.filter((i) => !isFiller(i));
  if (items.length === 0) return fail('nothing to do');
  const first = items[0] as Item;
  // "give me warm white in the kitchen" asks for a setting, not for information.
  const setting = (i: Item): boolean => i.kind === 'lex' && i.readings.some((r) => r.t === 'color' || r.t === 'ct' || r.t === 'speed' || r.t === 'level' || r.t === 'rel');
  if (first.text === 'give me' && items.slice(1).some(setting)) return parseCommands(items.slice(1));
  if (has(first, 'q') && !has(first, 'verb')) return parseQuery(items);
  // Only when written as a question or offering the choice ("is on or off"): "the kettle is on"
  // may just as well be news.
  const choice = all.some((i) => isFiller(i) && / or /.test(i.text));
  const question = asked || choice ? statementQuestion(items) : null;
  if (question) return parseQuery(question);
  return parseCommands(items);
}

/**
 * "washing machine is still on?", "the water heater is on or off": a question said in the order
 * of a statement, as in many languages. Only a device, then "is"/"are", then a state.
 */
function statementQuestion(items: Item[]): Item[] | null {
  const is = items.findIndex((i) => reading(i, 'q')?.word === 'is' && /^(is|are)$/.test(i.text));
  if (is < 1) return null;
  const devices = items.slice(0, is);
  if (!devices.every((i) => i.kind === 'name' || has(i, 'noun') || has(i, 'all') || reading(i, 'prep')?.word === 'in' || reading(i, 'prep')?.word === 'of')) return null;
  if (!devices.some((i) => i.kind === 'name' || has(i, 'noun'))) return null;
  const rest = items.slice(is + 1);
  if (rest.length > 1 || (rest.length === 1 && !(has(rest[0] as Item, 'state') || has(rest[0] as Item, 'particle')))) return null;
  return [items[is] as Item, ...devices, ...rest];
}

// ---- commands --------------------------------------------------------------------------------

function parseCommands(items: Item[]): Parsed {
  const chunks: Item[][] = [[]];
  for (const item of items) {
    if (has(item, 'conj')) chunks.push([]);
    else (chunks[chunks.length - 1] as Item[]).push(item);
  }
  const commands: Command[] = [];
  let waiting: TargetSpec[] = [];
  for (const [index, chunk] of chunks.entries()) {
    if (chunk.length === 0) return fail('dangling "and"');
    // "on the lights" as a verb only opens the request or follows another such phrase ("off the
    // fan and on the lights"); after "plus" in "disney plus on the tv" it is a place.
    const leadOn = index === 0 || commands[commands.length - 1]?.leadParticle === true;
    const parsed = parseChunk(chunk, leadOn);
    if (typeof parsed === 'string') return fail(parsed);
    if (parsed.awaitsParticle) {
      // "switch the telly and the soundbar off": these targets wait for the particle.
      waiting.push(...parsed.targets);
      continue;
    }
    if (waiting.length) {
      if (!parsed.particleIntent) return fail('"turn" without on or off');
      parsed.targets.unshift(...waiting);
      waiting = [];
    }
    // "warm light please", "make my room purple": a colour or a white said of a room (or of
    // nothing: the speaker's) means its lights.
    const lightValues = parsed.values.length > 0 && parsed.values.every((v) => v.readings.length > 0 && v.readings.every((r) => r.t === 'color' || r.t === 'ct'));
    const placeOnly = parsed.targets.every((t) => t.entitySpans.length === 0 && t.nouns.length === 0 && !t.pronoun && !t.everything);
    if (lightValues && placeOnly && (parsed.intent === undefined || parsed.intent === 'set') && !parsed.rel && parsed.attrs.length === 0 && chunks.length === 1) {
      if (parsed.targets.length === 0) parsed.targets.push(emptyTargets());
      for (const t of parsed.targets) t.nouns.push({ noun: 'light', plural: true });
    }
    const prev = commands[commands.length - 1];
    const hasIntent = parsed.intent !== undefined || parsed.rel !== undefined;
    if (!hasIntent && parsed.values.length === 0 && !prev && chunks.length === 1 && namesOnlyRoutines(parsed.targets)) {
      // "movie night please", "feed the fish": a routine's (or a button's) own name, said alone, asks for it.
      parsed.intent = 'activate';
      commands.push(parsed);
      continue;
    }
    if (!hasIntent && parsed.values.length === 0 && !prev && parsed.targets.some((t) => t.nouns.some((n) => n.noun === 'scene' || n.noun === 'script'))) {
      // "good morning scene please": naming a scene or a routine is asking for it.
      parsed.intent = 'activate';
      commands.push(parsed);
      continue;
    }
    if (!hasIntent && parsed.targets.length === 0 && parsed.values.length > 0 && parsed.attrs.length === 0 && prev && prev.values.length > 0 && !prev.rel) {
      // "big light to 20 percent and warm": more settings for the same devices.
      prev.values.push(...parsed.values);
      continue;
    }
    if (!hasIntent && parsed.values.length === 0) {
      // "... and the sofa lamp": more targets for the previous command; "the kettle and the
      // toaster on": targets waiting for the particle that comes after them.
      // "focus mode, and mute the speaker": a routine said by its name, then another command.
      if (!prev && index < chunks.length - 1 && namesOnlyRoutines(parsed.targets) && !parsed.attrs.length && !parsed.partial) {
        parsed.intent = 'activate';
        commands.push(parsed);
        continue;
      }
      if (!prev && index < chunks.length - 1 && parsed.targets.length && !parsed.attrs.length && !parsed.partial) {
        waiting.push(...parsed.targets);
        continue;
      }
      if (!prev) return fail('targets without an action');
      prev.borrowedTargets = true;
      prev.targets.push(...parsed.targets);
      continue;
    }
    if (!hasIntent) {
      // "bedroom fan to high", "I want the blinds halfway": a value with no verb sets it.
      if (!prev) {
        if (parsed.targets.length === 0 && parsed.attrs.length === 0) return fail('values without an action');
        parsed.intent = 'set';
        commands.push(parsed);
        continue;
      }
      // "... and the hallway light to 20 percent": the previous verb again, new targets and values.
      parsed.intent = prev.intent;
      parsed.rel = prev.rel;
    }
    commands.push(parsed);
  }
  if (waiting.length) return fail('"turn" without on or off');
  // "the kitchen and the living room lights", "the lights in the kitchen and the hallway": an
  // area-only target borrows the kind of device said next to it (after it first, else before).
  for (const c of commands) {
    const areaOnly = (t: TargetSpec): boolean => t.entitySpans.length === 0 && t.nouns.length === 0 && !t.pronoun && (t.areas.length > 0 || t.floors.length > 0);
    for (let k = 0; k < c.targets.length; k++) {
      const t = c.targets[k] as TargetSpec;
      if (!areaOnly(t) || c.targets.length < 2) continue;
      const after = c.targets.slice(k + 1).find((n) => n.nouns.length && n.entitySpans.length === 0);
      const before = c.targets.slice(0, k).reverse().find((n) => n.nouns.length && n.entitySpans.length === 0);
      const donor = after ?? before;
      if (donor) t.nouns.push(...donor.nouns);
    }
  }
  return { kind: 'commands', commands };
}

/** Targets that are only names of scenes or scripts, each said in full. */
function namesOnlyRoutines(targets: TargetSpec[]): boolean {
  return (
    targets.length > 0 &&
    targets.every(
      (t) =>
        t.entitySpans.length > 0 && t.areas.length + t.floors.length === 0 && !t.pronoun && !t.all && !t.everything &&
        t.nouns.every((n) => n.noun === 'scene' || n.noun === 'script') &&
        t.entitySpans.every((span) => span.hits.every((h) => h.full && /^(scene|script|button)\./.test(h.id))),
    )
  );
}

function parseChunk(chunk: Item[], leadOn = true): Command | string {
  const cmd: Command = { attrs: [], values: [], targets: [] };
  let target = emptyTargets();
  let split = false;
  let sawTarget = false;
  let afterBy = false;
  let ensure = false;
  let fullVerbAt = -1;
  const flushTarget = (): void => {
    if (hasTargets(target) || target.all || target.everything) cmd.targets.push(target);
    target = emptyTargets();
  };
  const setIntent = (intent: Intent, text: string): string | null => {
    // "stop the fan from swivelling": the stop is the oscillation's; "shut the heater off": the off.
    // "start the fan oscillating": the start is the oscillation's.
    if (cmd.intent === 'start' && intent === 'oscillate_off' && /^(oscillating|swivelling|swiveling|rotating)$/.test(text)) intent = 'oscillate_on';
    const refined = (cmd.intent === 'stop' && intent === 'oscillate_off') || (cmd.intent === 'start' && intent === 'oscillate_on') || (cmd.verbText === 'shut' && intent === 'off');
    if (cmd.intent === undefined || cmd.intent === 'set' || refined) {
      cmd.intent = intent;
      cmd.verbText = text;
      return null;
    }
    if (cmd.intent === intent || intent === 'set') return null;
    return `two actions in one phrase ("${cmd.verbText}", "${text}")`;
  };

  for (let k = 0; k < chunk.length; k++) {
    let item = chunk[k] as Item;
    const before = chunk[k - 1];
    /** The preposition just before this item ("to", "at", "in", "by"...), if any. */
    const prevPrep = before ? reading(before, 'prep')?.word : undefined;
    if (item.kind === 'name' && item.verb && k === 0 && chunk.slice(1).some((i) => i.kind === 'name' || has(i, 'noun'))) {
      // "lock up the shed" in a home with a routine called "Lock Up": followed by another target,
      // the routine's name is read as the verb it also is.
      const err = setIntent(item.verb, item.text);
      if (err) return err;
      continue;
    }
    if (item.kind === 'name') {
      // A room's name straight before a device ("kids curtains") says where, even when a device
      // elsewhere has that word in its name too.
      // So does one said after "in" ("everything in the bathroom" with a light called "Bathroom").
      const next = chunk[k + 1];
      const isPlace = item.hits.some((h) => h.kind === 'area' || h.kind === 'floor');
      const afterIn = prevPrep === 'in' || prevPrep === 'on';
      // "the dehumidifier on laundry" where Laundry is a room and "laundry" one of its modes.
      if (item.choice && sawTarget && (prevPrep === 'to' || (before !== undefined && reading(before, 'particle')?.value === 'on'))) return 'a place that is also a setting';
      // "the jets in the hot tub": a device after "in" is where the other one is, not a target.
      if (prevPrep === 'in' && !isPlace && sawTarget) return 'a device placed in another';
      const placeOnly = isPlace && ((next !== undefined && (next.kind === 'name' || has(next, 'noun'))) || afterIn);
      if (placeOnly) item = { ...item, hits: item.hits.filter((h) => h.kind !== 'entity') };
      // "put the alarm on night" where "Night" also names a scene: after "put <device> on", a
      // device's name is a setting we could not read, not a second thing to switch on.
      if (sawTarget && before !== undefined && reading(before, 'particle')?.value === 'on' && /^(put|set|pop|stick|switch|turn)$/.test(chunk[0]?.text ?? '') && item.hits.some((h) => h.kind === 'entity')) {
        return 'a device where a setting was expected';
      }
      // A target interrupted by a value or a verb starts a new target ("the tv and the lamp").
      if (target.entitySpans.length && item.hits.some((h) => h.kind === 'entity')) flushTarget();
      for (const h of item.hits) {
        if (h.kind === 'area' && !target.areas.includes(h.id)) target.areas.push(h.id);
        if (h.kind === 'floor' && !target.floors.includes(h.id)) target.floors.push(h.id);
      }
      const entityHits = item.hits.filter((h) => h.kind === 'entity');
      // A name that is both an area and an entity's name: the area reading stays, the entity
      // reading is kept as a possibility for the resolver.
      // "the sauna" for a device called "Sauna" in the "Sauna Room": a room read from part of its
      // name ("sauna") gives way to a device with exactly that name, but for "in the sauna".
      const weakPlace = item.hits.every((h) => h.kind === 'entity' || !h.full) && entityHits.some((h) => h.full);
      if (entityHits.length) target.entitySpans.push({ hits: entityHits, plural: item.plural, text: item.text, noun: item.noun, alsoPlace: isPlace && !weakPlace });
      sawTarget = true;
      continue;
    }
    if (item.kind === 'number') {
      const unitItem = chunk[k + 1];
      const unit = unitItem ? reading(unitItem, 'unit') : undefined;
      // A bare number is a setting only where a setting is expected: "to 40", "by 2", "volume 30".
      // "at 7" or "one" on its own more likely mean a time or a word, so they are not read as values.
      // "heating at 21": with no verb, "at" gives the setting (with one, "on at 7" is a time).
      // (A number a clock could show, "lights at 7", may be a time: not read.)
      const atSetting = prevPrep === 'at' && cmd.intent === undefined && !split && !cmd.rel && sawTarget && item.value > 12;
      // "put the aircon on 24": after "put ... on", the setting.
      const putOn = before !== undefined && reading(before, 'particle')?.value === 'on' && /^(put|set|pop|stick|chuck|bung)$/.test(chunk[0]?.text ?? '') && k === chunk.length - 1;
      // "living room AC twenty four and a half": a named device, then its number, and nothing else.
      const rest = chunk.slice(k + 1).filter((i) => !has(i, 'unit'));
      const lead = reading(chunk[0] as Item, 'verb')?.intent === 'set' ? 1 : 0; // "set heat pump 22"
      const bareSetting = (cmd.intent === undefined || cmd.intent === 'set') && !split && !cmd.rel && k > lead && chunk.slice(lead, k).every((i) => i.kind === 'name' && i.hits.some((h) => h.kind === 'entity')) && rest.length === 0;
      const expected = prevPrep === 'to' || prevPrep === 'by' || (before !== undefined && has(before, 'attr')) || afterBy || atSetting || putOn || bareSetting;
      if (!unit && !expected) return `a bare number "${item.text}"`;
      // "turn the heating up 2 degrees": a number right after a direction is the step.
      const step = afterBy || (cmd.rel !== undefined && prevPrep !== 'to' && prevPrep !== 'at');
      cmd.values.push({ number: item.value, unit: unit?.unit, readings: [], text: item.text, by: step });
      if (unit) k += 1;
      afterBy = false;
      continue;
    }
    if (item.kind !== 'lex') return 'unexpected item';
    // "on the kitchen lights", "off the fan and on the pankha": "on" and "off" said as verbs.
    if (k === 0 && leadOn && item.text === 'on the' && chunk.length > 1) {
      const err = setIntent('on', 'on');
      if (err) return err;
      cmd.particleIntent = true;
      cmd.leadParticle = true;
      continue;
    }
    if (k === 0 && reading(item, 'particle')?.value === 'off') cmd.leadParticle = true;
    const r = item.readings;
    const verb = reading(item, 'verb');
    const particle = reading(item, 'particle');
    const rel = reading(item, 'rel');
    if (verb && !(verb.intent === 'set' && cmd.intent !== undefined)) {
      // A full verb after a named device ("good morning, turn on the lights") is not a shape we read;
      // "the tv backlight go red" is: a setting verb waits for its value.
      if (sawTarget && cmd.intent === undefined && !split && verb.intent !== 'set') return 'a name before the verb';
      const err = setIntent(verb.intent, item.text);
      if (err) return err;
      fullVerbAt = k;
      continue;
    }
    if (r.some((x) => x.t === 'split_verb')) {
      if (sawTarget && cmd.intent === undefined) return 'a name before the verb';
      split = true;
      cmd.verbText ??= item.text;
      continue;
    }
    if (has(item, 'ensure')) {
      if (k !== 0) return '"make sure" inside a command';
      ensure = true;
      continue;
    }
    if (particle) {
      if (particle.value === 'on' && cmd.intent !== undefined && cmd.intent !== 'set') continue; // "play music on the speaker"
      // "send the vacuum out" sends it to clean, not home.
      if (particle.value === 'out' && cmd.verbText === 'send' && cmd.intent === 'dock') {
        cmd.intent = 'clean';
        continue;
      }
      // "turn on the lights out on the deck": after a verb, "out" says where, not what.
      if (particle.value === 'out' && cmd.intent !== undefined && !split) continue;
      const afterTarget = before !== undefined && (before.kind === 'name' || has(before, 'noun'));
      if (particle.value === 'on') {
        const err = setIntent('on', item.text);
        if (err) return err;
        cmd.particleIntent = true;
      } else if (particle.value === 'off' || (particle.value === 'out' && (split || afterTarget))) {
        // "lights out": "out" straight after what it puts out.
        const err = setIntent('off', item.text);
        if (err) return err;
        cmd.particleIntent = true;
      } else if (particle.value === 'up' || particle.value === 'down') {
        // "slow the fan down", "brighten it up": the particle repeats the direction already said.
        if (cmd.rel && cmd.rel.dir === (particle.value === 'up' ? 1 : -1) && cmd.rel.attr) continue;
        if (cmd.rel) return 'two directions';
        cmd.rel = { dir: particle.value === 'up' ? 1 : -1, text: item.text };
      } else return `stray "${item.text}"`;
      continue;
    }
    // "boost the heating" where the heating has a "boost" preset: that preset.
    const afterOn = before !== undefined && reading(before, 'particle')?.value === 'on';
    if (rel && reading(item, 'mode') && (prevPrep === 'to' || afterOn || (k === 0 && !rel.attr))) {
      // "to boost" where a device offers a "boost" preset: the setting, not a direction.
      cmd.values.push({ readings: [reading(item, 'mode') as Tag], text: item.text, by: false });
      continue;
    }
    if (rel) {
      // "20 percent brighter", "500 kelvin cooler": the number just before the direction is its step.
      const last = cmd.values[cmd.values.length - 1];
      const numberJustBefore = before !== undefined && (before.kind === 'number' || reading(before, 'unit') !== undefined);
      if (last?.number !== undefined && numberJustBefore) last.by = true;
      if (cmd.rel && cmd.rel.attr && rel.attr && cmd.rel.attr !== rel.attr) return 'two directions';
      if (cmd.rel && cmd.rel.dir !== rel.dir) return 'two directions';
      cmd.rel = { dir: rel.dir, attr: rel.attr ?? cmd.rel?.attr, text: item.text };
      continue;
    }
    // Values: words that say what to set ("red", "warm white", "high", "halfway", "heat mode").
    if (r.some((x) => x.t === 'color' || x.t === 'ct' || x.t === 'speed' || x.t === 'level' || x.t === 'mode')) {
      // "put the AC on heat": after a device and "on", a setting too.
      const afterTo = prevPrep === 'to' || prevPrep === 'at' || (sawTarget && before !== undefined && reading(before, 'particle')?.value === 'on');
      // "heating" after "to" is a mode; elsewhere it is the heating itself.
      const noun = reading(item, 'noun');
      if (noun && !afterTo) {
        target.nouns.push({ noun: noun.noun, plural: item.plural });
        sawTarget = true;
        continue;
      }
      cmd.values.push({ readings: r.filter((x) => x.t !== 'noun' && x.t !== 'filler'), text: item.text, by: false });
      continue;
    }
    const noun = reading(item, 'noun');
    if (noun) {
      target.nouns.push({ noun: noun.noun, plural: item.plural });
      sawTarget = true;
      continue;
    }
    const attr = reading(item, 'attr');
    if (attr) {
      cmd.attrs.push(attr.attr);
      continue;
    }
    if (has(item, 'all')) {
      target.all = true;
      continue;
    }
    if (has(item, 'everything')) {
      target.everything = true;
      sawTarget = true;
      continue;
    }
    if (has(item, 'here')) {
      target.here = true;
      continue;
    }
    if (has(item, 'partial')) {
      cmd.partial = true;
      continue;
    }
    if (has(item, 'pronoun')) {
      target.pronoun = true;
      sawTarget = true;
      continue;
    }
    const prep = reading(item, 'prep');
    if (prep) {
      if (prep.word === 'near') return 'a device placed by another';
      if (prep.word === 'by') {
        // "by 20 percent" is a step; "by the sofa" is a place.
        const next = chunk[k + 1];
        if (next === undefined || next.kind !== 'number') return 'a device placed by another';
        afterBy = true;
      }
      continue;
    }
    const state = reading(item, 'state');
    const ensured: Record<string, Intent> = { closed: 'close', open: 'open', locked: 'lock', unlocked: 'unlock', on: 'on', off: 'off' };
    if (state && (state.value === 'closed' || state.value === 'open' || (ensure && ensured[state.value]))) {
      const err = setIntent(ensured[state.value] as Intent, item.text);
      if (err) return err;
      continue;
    }
    // "make sure the back door is locked": the "is" belongs to the state said next.
    if (ensure && has(item, 'q') && /^(is|are)$/.test(item.text)) continue;
    if (has(item, 'unit')) return `a unit without a number ("${item.text}")`;
    if (has(item, 'q')) return 'a question inside a command';
    return `"${item.text}" does not fit a command`;
  }
  flushTarget();
  // "vacuum the house": the noun as a verb, with nothing else to read it as.
  if (cmd.intent === undefined && !cmd.rel && cmd.values.length === 0 && /^(vacuum|hoover)$/.test((chunk[0] as Item).text)) {
    const t = cmd.targets[0];
    if (cmd.targets.length === 1 && t && t.nouns.length === 1 && t.areas.length + t.floors.length + t.entitySpans.length === 0) cmd.intent = 'clean';
  }
  if (split && cmd.intent === undefined && cmd.rel === undefined && cmd.values.length > 0) cmd.intent = 'set';
  // "put the porch light and the path lights on": "put" waits for its particle like "turn" does.
  if (cmd.intent === 'set' && cmd.verbText === 'put' && cmd.values.length === 0 && !cmd.rel && cmd.attrs.length === 0 && cmd.targets.length > 0) {
    // "put cinema evening": a routine said in full after "put" is asked for.
    if (namesOnlyRoutines(cmd.targets)) cmd.intent = 'activate';
    else {
      cmd.intent = undefined;
      split = true;
    }
  }
  if (split && cmd.intent === undefined && cmd.rel === undefined) {
    if (cmd.targets.length === 0 || cmd.attrs.length || cmd.partial) return '"turn" without on or off';
    cmd.awaitsParticle = true;
  }
  if (ensure && cmd.intent === undefined) return '"make sure" without a state';
  void fullVerbAt;
  return cmd;
}

// ---- questions -------------------------------------------------------------------------------

function parseQuery(items: Item[]): Parsed {
  const first = items[0] as Item;
  const q = reading(first, 'q') as Extract<Tag, { t: 'q' }>;
  const query: Query = { word: q.word, attrs: [], targets: emptyTargets() };
  if (/^how (warm|hot|cold)$/.test(first.text)) query.attrs.push('temperature');
  if (first.text === 'how humid') query.attrs.push('humidity');
  // "is there a leak", "are there any lights on": about every one there is.
  if (/^(is|are) there$/.test(first.text)) query.targets.all = true;
  for (let k = 1; k < items.length; k++) {
    let item = items[k] as Item;
    if (item.kind === 'name') {
      // "which lights are on in the kitchen": after "in", a room's name is the room.
      const before = items[k - 1];
      if (before !== undefined && reading(before, 'prep')?.word === 'in' && item.hits.some((h) => h.kind === 'area' || h.kind === 'floor')) {
        item = { ...item, hits: item.hits.filter((h) => h.kind !== 'entity') };
      }
      for (const h of item.hits) {
        if (h.kind === 'area') query.targets.areas.push(h.id);
        if (h.kind === 'floor') query.targets.floors.push(h.id);
      }
      const entityHits = item.hits.filter((h) => h.kind === 'entity');
      if (entityHits.length) query.targets.entitySpans.push({ hits: entityHits, plural: item.plural, text: item.text, noun: item.noun });
      continue;
    }
    if (item.kind === 'number') return fail('a number in a question');
    if (item.kind !== 'lex') return fail('unexpected item');
    const state = reading(item, 'state');
    const noun = reading(item, 'noun');
    const attr = reading(item, 'attr');
    if (has(item, 'q') && k === 1) continue; // "what is", "are there"
    if (noun && !(state && query.targets.nouns.length)) {
      query.targets.nouns.push({ noun: noun.noun, plural: item.plural });
      continue;
    }
    if (state) {
      if (query.state && query.state !== state.value) return fail('two states in a question');
      query.state = state.value;
      continue;
    }
    if (attr) {
      query.attrs.push(attr.attr);
      continue;
    }
    if (has(item, 'all')) {
      query.targets.all = true;
      continue;
    }
    if (has(item, 'here')) {
      query.targets.here = true;
      continue;
    }
    if (has(item, 'partial')) return fail('"a little" in a question');
    // "is there a leak by the washing machine": the second name is a landmark, not a target.
    const prep = reading(item, 'prep');
    if (prep && (prep.word === 'near' || prep.word === 'by')) return fail('a place given by another device');
    if (prep) continue;
    if (reading(item, 'verb')?.intent === 'set' || has(item, 'split_verb')) continue; // "what is the thermostat set to"
    const particle = reading(item, 'particle');
    if (particle && (particle.value === 'on' || particle.value === 'off')) {
      query.state = particle.value;
      continue;
    }
    if (reading(item, 'verb')?.intent === 'play') {
      query.state = 'playing';
      continue;
    }
    if (has(item, 'pronoun') && query.attrs.length) continue; // "how warm is it in the office"
    if (has(item, 'q')) continue;
    // "the temperature in the front office and the back office": more places or devices.
    if (has(item, 'conj')) continue;
    return fail(`"${item.text}" does not fit a question`);
  }
  return { kind: 'query', query };
}
