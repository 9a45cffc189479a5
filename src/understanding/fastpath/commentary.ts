// Requests often carry a remark besides the command: "disarm the alarm, I'm home", "we're back so
// switch holiday mode off", "unlock the front door for the postman". When the rest of the request
// cannot be read whole, the command is read alone — but only if everything else is pure remark:
// no device, room, verb, value, number, negation, condition or time, which could change what
// the command means ("turn on the lights, tomorrow" is not "turn on the lights").
import { normalizeText, soundKey } from '../../catalog/normalize.js';
import type { CatalogIndex } from './catalog-index.js';
import type { Tag } from './lexicon.js';
import { tagTokens } from './tagger.js';
import { prepareTokens } from './tokens.js';

/** Readings a remark may have: words that carry no command. */
const REMARK = new Set<Tag['t']>(['filler', 'q', 'prep', 'pronoun', 'partial', 'conj']);

/** Readings that say what to do. */
const ACTION_READINGS = new Set<Tag['t']>(['verb', 'split_verb', 'particle', 'rel', 'color', 'ct', 'speed', 'level', 'mode', 'ensure']);

/** Kinds that are also events a remark may tell of ("there's a leak under the sink"). */
const EVENT_NOUNS = new Set(['leak', 'smoke']);

/** Words a remark about someone may start with ("I can't...", "she's gone out"). */
const SUBJECTS = new Set(['i', 'we', 'he', 'she', 'they', 'it', 'you', 'there', 'someone', 'somebody', 'my', 'our', 'his', 'her', 'their', 'mum', 'dad', 'the']);
/** Denials a remark about someone may hold without undoing the command. */
const DENIALS = new Set(['not', 'no', 'dont', 'never', 'cannot']);

/** Words that make a remark part of the command: times, conditions, exceptions. */
const BINDING = new Set([
  'if', 'unless', 'when', 'whenever', 'once', 'until', 'till', 'while', 'after', 'before', 'then', 'only', 'except', 'but',
  'instead', 'tomorrow', 'tonight', 'today', 'later', 'soon', 'minute', 'minutes', 'hour', 'hours', 'second', 'seconds',
  'morning', 'afternoon', 'evening', 'night', 'noon', 'midnight', 'oclock', 'sunset', 'sunrise', 'dusk', 'bit', 'moment',
  'sec', 'secs', 'min', 'mins', 'hr', 'hrs', 'mo', 'month', 'year', 'forever', 'ever', 'good', 'permanently',
  'dawn', 'week', 'weekend', 'day', 'days', 'every', 'always', 'never', 'again', 'timer', 'schedule', 'wait', 'hold',
  'not', 'no', 'dont', 'stop', 'cancel', 'undo', 'keep', 'leave', 'all', 'everything', 'other', 'rest',
  // Taking it back: "..., just kidding", "..., scratch that".
  'kidding', 'joking', 'jk', 'nevermind', 'scratch', 'forget', 'ignore', 'mistake', 'oops', 'whoops', 'sike', 'psych', 'kid', 'joke',
]);

/**
 * Times by how they sound, for words the request has that Hestia does not know: a speech
 * recogniser writes "arm the alarm for the knight", "off in ten minuets". (Not "hour", "year" or
 * "dawn": too many everyday words sound like them — "hear", "are", "down".)
 */
const TIME_SOUNDS = new Set(
  ['tomorrow', 'tonight', 'today', 'later', 'minute', 'minutes', 'hours', 'seconds', 'morning', 'afternoon', 'evening',
    'night', 'noon', 'midnight', 'sunset', 'sunrise', 'dusk', 'week', 'weekend', 'month', 'timer', 'schedule'].map(soundKey),
);

/** Whether a piece of a request is only a remark: unknown words, fillers, and nothing binding. */
export function isRemark(text: string, index: CatalogIndex): boolean {
  // "I can't see the top step", "he's not up yet": a statement about someone may deny something
  // without undoing the command; "not the lamp", "no wait" may not.
  const said = normalizeText(text).split(' ').filter(Boolean);
  const aboutSomeone = SUBJECTS.has(said[0] ?? '');
  const binding = (w: string): boolean => BINDING.has(w) && !(aboutSomeone && DENIALS.has(w));
  if (said.some((w) => binding(w) || /\d/.test(w))) return false;
  const tokens = prepareTokens(text, index.vocabulary);
  if (tokens.length === 0) return true;
  if (tokens.some((t) => binding(t.raw) || binding(t.stem) || /\d/.test(t.raw))) return false;
  const items = tagTokens(tokens, index);
  if (items.some((i) => i.kind === 'unknown' && TIME_SOUNDS.has(soundKey(i.text)))) return false;
  // "she's gone out", "I'm feeling the cold", "we're going through to bed": a person's doings may
  // use words that are also actions, as long as nothing in it points at a device ("it", "them",
  // a name, a kind of device) — "I want them on" is a correction, not a remark.
  const person = PERSONS.has(said[0] ?? '') && !said.some((w) => DEVICE_POINTERS.has(w));
  return items.every(
    (i) =>
      i.kind === 'unknown' ||
      (i.kind === 'lex' &&
        i.readings.every((r) => REMARK.has(r.t) || (aboutSomeone && r.t === 'neg') || (r.t === 'noun' && EVENT_NOUNS.has(r.noun)) || (person && PERSON_DOINGS.has(r.t)))),
  );
}

/** People a remark may be about. */
const PERSONS = new Set(['i', 'we', 'he', 'she', 'they']);
/** Words that would make a person's remark about a device. */
const DEVICE_POINTERS = new Set(['it', 'them', 'that', 'those', 'this', 'these', 'its', 'em']);
/** Readings a person's doings may have besides a pure remark's. */
const PERSON_DOINGS = new Set<Tag['t']>(['verb', 'split_verb', 'particle', 'state', 'rel', 'ct', 'level', 'here', 'all', 'mode']);

/**
 * The one clause of a request that is not a remark, when the others all are; null otherwise.
 * Clauses are split at commas, semicolons, sentence ends, "so", "because", "since", and a final
 * "for the ..." that names no device ("for the postman").
 */
export function commandBesideRemarks(text: string, index: CatalogIndex): string | null {
  const clauses = text
    // ("be so kind as to", "so much" are no clause boundaries.)
    .split(/\s*[,;!?]\s*|\.\s+|\s+(?:so(?!\s+(?:kind|much|very|good)\b)|because|since|cause|as(?!\s+to\b))\s+/i)
    .map((c) => c.trim())
    .filter(Boolean);
  const purpose = /^(.*\S)\s+for\s+(.+)$/i.exec(clauses[clauses.length - 1] ?? '');
  if (purpose) clauses.splice(clauses.length - 1, 1, purpose[1] as string, purpose[2] as string);
  if (clauses.length < 2) return null;
  const commands = clauses.filter((c) => !isRemark(c, index));
  if (commands.length !== 1) return null;
  // The command must say what to do: "what's for dinner" leaves "dinner", a routine's name, which
  // said alone would ask for it.
  const items = tagTokens(prepareTokens(commands[0] as string, index.vocabulary), index);
  const acts = items.some((i) => (i.kind === 'lex' && i.readings.some((r) => ACTION_READINGS.has(r.t))) || (i.kind === 'name' && i.verb !== undefined));
  return acts ? (commands[0] as string) : null;
}
