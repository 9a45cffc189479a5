// Turns request text into tokens the tagger can match: normalised, stemmed, with common
// speech-to-text slips repaired against the words the lexicon and the home actually use.
import { closeEnough, editDistance, normalizeText, soundKey, stem } from '../../catalog/normalize.js';
import { LEXICON_WORDS, SLIPS } from './lexicon.js';

export interface Token {
  /** The word as normalised from the request. */
  raw: string;
  /** Its singular form, used for matching. */
  stem: string;
  plural: boolean;
}

const SPLIT_VERBS = new Set(['turn', 'switch', 'shut', 'power', 'flip', 'turned', 'switched']);

/** "set the fan two high", "dim it too fifty": "to" heard as a number word before a value. */
const TO_AS_TWO = new RegExp(
  `\\b(two|too)\\s+(?=(\\d+|${[
    'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
    'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty', 'thirty',
    'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety', 'a hundred', 'high', 'low', 'medium', 'max',
    'maximum', 'minimum', 'full', 'half', 'warm', 'cool',
  ].join('|')})\\b)`,
  'g',
);
const CLAUSE_END = new Set(['in', 'please', 'now', 'and', 'for', 'then', 'thanks', 'thank', 'upstairs', 'downstairs']);

export function prepareTokens(text: string, vocabulary: ReadonlySet<string>): Token[] {
  let words = normalizeText(text.toLowerCase().replace(TO_AS_TWO, 'to ').replace(/\bon[ -]suite\b/g, 'en suite')).split(' ').filter(Boolean);
  words = readFractions(words).map((w) => SLIPS.get(w) ?? w);
  // "turn of the light", "turn the lights of": a dropped letter that edit distance cannot see on a
  // two-letter word; only where "of" cannot be the preposition.
  const splitAt = words.findIndex((w) => SPLIT_VERBS.has(w));
  words = words.map((w, i) => {
    if (w !== 'of' || splitAt < 0 || i <= splitAt) return w;
    const next = words[i + 1];
    return i === splitAt + 1 || next === undefined || CLAUSE_END.has(next) ? 'off' : w;
  });
  // "the the", "turn turn off": stutters and recogniser repeats.
  words = words.filter((w, i) => i === 0 || w !== words[i - 1] || /^\d/.test(w));
  const known = (w: string): boolean => vocabulary.has(w) || vocabulary.has(stem(w)) || /^\d+(\.\d+)?$/.test(w);

  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    const next = words[i + 1];
    // "hall way" -> "hallway", "bed room" -> "bedroom" when the pieces are not both words we know.
    if (next !== undefined && (!known(w) || !known(next)) && known(w + next)) {
      out.push(w + next);
      i += 1;
      continue;
    }
    if (known(w)) {
      out.push(w);
      continue;
    }
    const split = splitWord(w, known);
    if (split) {
      out.push(...split);
      continue;
    }
    // "the kitchen light sand the kettle": a letter heard at the start of the next word.
    const prev = out[out.length - 1];
    if (prev !== undefined && w.length > 3 && known(prev + w[0]) && known(w.slice(1)) && !known(w)) {
      out[out.length - 1] = prev + w[0];
      out.push(w.slice(1));
      continue;
    }
    out.push(correct(w, vocabulary) ?? w);
  }
  return out.map((raw) => {
    const s = stem(raw);
    return { raw, stem: s, plural: s !== raw && raw.endsWith('s') };
  });
}

const FRACTIONS: Record<string, number> = { third: 1 / 3, thirds: 1 / 3, quarter: 1 / 4, quarters: 1 / 4, fifth: 1 / 5, fifths: 1 / 5 };

/**
 * "a third of the way" -> "33 percent", "three quarters" -> "75 percent", "up a degree" -> "up 1
 * degree": fractions and a lone "a" before a unit, as the numbers they are.
 */
function readFractions(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    const next = words[i + 1];
    const count = w === 'a' || w === 'an' ? 1 : /^\d+$/.test(w) ? Number(w) : undefined;
    const part = next !== undefined ? FRACTIONS[next] : undefined;
    if (count !== undefined && part !== undefined && count * part <= 1 && (count === 1) === !next?.endsWith('s')) {
      out.push(String(Math.round(count * part * 100)), 'percent');
      i += 1;
      continue;
    }
    if ((w === 'a' || w === 'an' || w === 'one') && (next === 'degree' || next === 'percent')) {
      out.push('1');
      continue;
    }
    out.push(w);
  }
  return out;
}

/** "livingroom" -> ["living", "room"] when both halves are known words. */
function splitWord(w: string, known: (w: string) => boolean): string[] | null {
  for (let k = 2; k <= w.length - 2; k++) {
    const a = w.slice(0, k);
    const b = w.slice(k);
    if (known(a) && known(b) && a.length > 2 && b.length > 2) return [a, b];
  }
  return null;
}

/** The one known word this unknown word is a slip of, or null when none or several are close. */
/**
 * Words that change what a request means (times, conditions, negations): never "repaired" into
 * something else, so that "when I get home" cannot become a filler and vanish.
 */
const NEVER_REPAIRED = new Set([
  'when', 'whenever', 'then', 'than', 'if', 'unless', 'until', 'till', 'while', 'after', 'before', 'once', 'not', 'no',
  'never', 'only', 'except', 'but', 'tomorrow', 'tonight', 'today', 'later', 'soon', 'minute', 'minutes', 'hour', 'hours',
  'second', 'seconds', 'morning', 'evening', 'afternoon', 'night', 'week', 'weekend', 'wait', 'cancel', 'undo', 'unless',
  'every', 'each', 'daily', 'weekly', 'always', 'sometimes', 'again', 'yesterday', 'ago', 'since', 'until',
]);

function correct(w: string, vocabulary: ReadonlySet<string>): string | null {
  if (NEVER_REPAIRED.has(w)) return null;
  let best: string | null = null;
  let bestDist = Infinity;
  let tie = false;
  // The vocabulary holds names' stems ("pendant"): a plural slip ("pendents") is matched by its stem.
  const ws = stem(w);
  for (const v of vocabulary) {
    const spoken = closeEnough(w, v) ? w : ws !== w && closeEnough(ws, v) ? ws : null;
    if (spoken === null) continue;
    const d = editDistance(spoken, v, 2);
    if (d < bestDist) {
      best = v;
      bestDist = d;
      tie = false;
    } else if (d === bestDist && v !== best && stem(v) !== stem(best as string)) {
      // "pendant" and "pendants" are one word, not a tie.
      tie = true;
    }
  }
  if (best !== null) return tie ? null : best;
  // A homophone edit distance cannot see ("geezer" for "Geyser", "dore" for "door"): the one
  // known word that sounds the same, of about the same length.
  // Short sounds ("pl": pool, Paul, pull) say too little to stand for a device.
  const key = soundKey(w);
  if (w.length < 4 || key.length < 3) return null;
  let heard: string | null = null;
  for (const v of vocabulary) {
    // Only towards the home's own words: a homophone of "the geyser", never of a filler.
    if (v.length < 3 || Math.abs(v.length - w.length) > 2 || /\d/.test(v) || LEXICON_WORDS.has(v) || soundKey(v) !== key) continue;
    if (heard !== null && heard !== v && stem(heard) !== stem(v)) return null;
    heard = v;
  }
  return heard;
}
