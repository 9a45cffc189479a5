// Text normalisation shared by catalog lookup and the fast path, so that a name in the catalog and
// the same name in a spoken request end up as the same tokens: case, punctuation, accents,
// contractions, plurals and numbers written as words all disappear here.

const CONTRACTIONS: Array<[RegExp, string]> = [
  [/\b(what|where|who|how|that|it|there|here)'s\b/g, '$1 is'],
  [/\bwhats\b/g, 'what is'],
  [/\bhows\b/g, 'how is'],
  [/\bwheres\b/g, 'where is'],
  [/\blet's\b/g, 'let us'],
  [/\bcan't\b/g, 'can not'],
  [/\bwon't\b/g, 'will not'],
  [/\bn't\b/g, ' not'],
  [/(\w)n't\b/g, '$1 not'],
  [/\b(i|you|we|they)'re\b/g, '$1 are'],
  [/\bi'm\b/g, 'i am'],
  [/\b(i|you|we|they)'(ll|d|ve)\b/g, '$1'],
  [/'s\b/g, ''],
];

const UNITS: Record<string, number> = {
  zero: 0, oh: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16,
  seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20, thirty: 30, forty: 40, fourty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};

/** Lowercase, strip accents and punctuation, expand contractions and units; keeps decimals. */
export function normalizeText(input: string): string {
  let s = input.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  s = s.replace(/[\u2018\u2019\u02bc`]/g, "'");
  for (const [re, to] of CONTRACTIONS) s = s.replace(re, to);
  // "Disney+" is said "disney plus".
  s = s.replace(/([a-z])\+/g, '$1 plus ');
  s = s
    .replace(/(\d),(\d{3})\b/g, '$1$2')
    .replace(/(\d)\s*%/g, '$1 percent ')
    .replace(/(\d)\s*°\s*[cf]?\b/g, '$1 degrees ')
    .replace(/°/g, ' degrees ')
    .replace(/(\d)(k)\b/g, '$1 kelvin')
    .replace(/(\d)([a-z])/g, '$1 $2')
    .replace(/([a-z])(\d)/g, '$1 $2')
    .replace(/(\d)\.(\d)/g, '$1\u0000$2')
    .replace(/[^a-z0-9\u0000]+/g, ' ')
    .replace(/\u0000/g, '.')
    .trim();
  return wordsToNumbers(s.split(/\s+/).filter(Boolean)).join(' ');
}

/**
 * "twenty five" -> "25", "one hundred" -> "100", "seventy two point five" -> "72.5",
 * "a hundred" -> "100", "half" stays a word (callers give it meaning in context).
 */
export function wordsToNumbers(tokens: string[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    // "half a degree", "a couple of degrees": amounts said with a unit.
    const unitAt = (k: number): boolean => AMOUNT_UNITS.has(tokens[k] ?? '');
    if (tokens[i] === 'half' && (tokens[i + 1] === 'a' || tokens[i + 1] === 'an') && unitAt(i + 2)) {
      out.push('0.5');
      i += 2;
      continue;
    }
    if (tokens[i] === 'a' && tokens[i + 1] === 'couple' && (unitAt(i + 2) || (tokens[i + 2] === 'of' && unitAt(i + 3)))) {
      out.push('2');
      i += tokens[i + 2] === 'of' ? 3 : 2;
      continue;
    }
    // "stair light number three": the number is the name's.
    if (tokens[i] === 'number' && i > 0) {
      const next = readNumber(tokens, i + 1);
      if (next) {
        i += 1;
        continue;
      }
    }
    const parsed = readNumber(tokens, i);
    if (parsed) {
      out.push(String(parsed.value));
      i = parsed.next;
    } else {
      out.push(tokens[i] as string);
      i += 1;
    }
  }
  return out;
}

const AMOUNT_UNITS = new Set(['degree', 'degrees', 'percent', 'notch', 'notches', 'step', 'steps', 'kelvin']);

function readInteger(tokens: string[], start: number): { value: number; next: number } | null {
  let i = start;
  let value = 0;
  let any = false;
  // "a hundred" / "one hundred" / "two hundred and fifty"
  const first = tokens[i];
  if (first === 'a' && tokens[i + 1] === 'hundred') {
    value = 100;
    i += 2;
    any = true;
  } else {
    const small = readBelowHundred(tokens, i);
    if (small) {
      value = small.value;
      i = small.next;
      any = true;
    }
    if (any && tokens[i] === 'hundred') {
      value *= 100;
      i += 1;
    }
  }
  if (!any) return null;
  // "three thousand", "two thousand seven hundred", "four thousand five hundred"
  if (tokens[i] === 'thousand' && value > 0 && value < 100) {
    value *= 1000;
    i += 1;
    const j = tokens[i] === 'and' ? i + 1 : i;
    const rest = readInteger(tokens, j);
    if (rest && rest.value < 1000) {
      value += rest.value;
      i = rest.next;
    }
    return { value, next: i };
  }
  if (value >= 100 && value % 100 === 0) {
    const j = tokens[i] === 'and' ? i + 1 : i;
    const rest = readBelowHundred(tokens, j);
    if (rest) {
      value += rest.value;
      i = rest.next;
    }
  }
  return { value, next: i };
}

function readBelowHundred(tokens: string[], i: number): { value: number; next: number } | null {
  const t = tokens[i];
  if (t === undefined) return null;
  if (/^\d+$/.test(t)) return { value: Number(t), next: i + 1 };
  if (t in TENS) {
    const tens = TENS[t] as number;
    const u = tokens[i + 1];
    if (u !== undefined && u in UNITS && (UNITS[u] as number) > 0 && (UNITS[u] as number) < 10) {
      return { value: tens + (UNITS[u] as number), next: i + 2 };
    }
    return { value: tens, next: i + 1 };
  }
  if (t in UNITS && t !== 'oh') return { value: UNITS[t] as number, next: i + 1 };
  return null;
}

function readNumber(tokens: string[], start: number): { value: number; next: number } | null {
  const t = tokens[start];
  if (t !== undefined && /^\d+\.\d+$/.test(t)) return { value: Number(t), next: start + 1 };
  const int = readInteger(tokens, start);
  if (!int) return null;
  // "twenty one point five"
  if (tokens[int.next] === 'point') {
    const d = tokens[int.next + 1];
    const digit = d === undefined ? undefined : /^\d$/.test(d) ? Number(d) : UNITS[d];
    if (digit !== undefined && digit < 10) return { value: Number(`${int.value}.${digit}`), next: int.next + 2 };
  }
  // "twenty and a half"
  if (tokens[int.next] === 'and' && tokens[int.next + 1] === 'a' && tokens[int.next + 2] === 'half') {
    return { value: int.value + 0.5, next: int.next + 3 };
  }
  return int;
}

const NO_STEM = new Set([
  'is', 'was', 'has', 'this', 'his', 'its', 'us', 'yes', 'plus', 'status', 'gas', 'bus', 'lens',
  'glass', 'grass', 'bass', 'press', 'dress', 'chess', 'less', 'always', 'series', 'news', 'tennis',
  'christmas', 'virus', 'campus', 'alias', 'does', 'goes', 'various', 'bios', 'iris', 'canvas',
  'focus', 'bonus', 'radius', 'cactus', 'hvac', 'kids', 'stairs', 'downstairs', 'upstairs', 'outdoors',
  'indoors', 'pics', 'towards', 'please', 'sonos', 'analytics', 'thermostats', 'afterwards',
]);

/** Singular form of a token: lights -> light, switches -> switch, batteries -> battery. */
/** Plurals of short words the length rule below keeps whole. */
const SHORT_PLURALS: ReadonlyMap<string, string> = new Map([['tvs', 'tv'], ['acs', 'ac'], ['pcs', 'pc']]);

export function stem(token: string): string {
  const short = SHORT_PLURALS.get(token);
  if (short) return short;
  if (token.length <= 3 || NO_STEM.has(token) || /\d/.test(token)) return token;
  if (token === 'thermostats') return 'thermostat';
  if (token.endsWith('ies') && token.length > 4) return `${token.slice(0, -3)}y`;
  if (/(ches|shes|sses|xes|zes)$/.test(token)) return token.slice(0, -2);
  if (token.endsWith('ss') || token.endsWith('us') || token.endsWith('is')) return token;
  if (token.endsWith('s')) return token.slice(0, -1);
  return token;
}

// Only articles: possessives and words like "all" are part of a name ("Our Bedroom", "All Off").
const ARTICLES = new Set(['the', 'a', 'an']);

/** Tokens of a catalog name, for lookup: normalised, stemmed, articles dropped. */
export function nameKey(name: string): string[] {
  return normalizeText(name)
    .split(' ')
    .filter((t) => t && !ARTICLES.has(t))
    .map(stem);
}

/** Edit distance counting a swap of two neighbouring letters as one edit; early exit above `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const up = rows[i - 1] as number[];
      let v = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/**
 * Whether a spoken token may stand for a vocabulary token despite a speech-to-text slip.
 * Short words must match exactly (too many real words sit one letter apart); longer ones may
 * differ by one edit, long ones by two.
 */
/**
 * How a word sounds, roughly: consonants as heard, vowels dropped after the first letter
 * ("geezer" and "geyser" -> "gsr", "dore" and "door" -> "dr"). For homophones a speech
 * recogniser writes that edit distance misses; callers accept a match only when it is unique.
 */
export function soundKey(word: string): string {
  let s = word.toLowerCase().replace(/[^a-z]/g, '');
  s = s.replace(/^(kn|gn|pn|wr)/, (m) => m.slice(1));
  s = s
    .replace(/sch/g, 'sk').replace(/ch(?=r)/g, 'k').replace(/ch|sh/g, 'x').replace(/th/g, '0').replace(/ph/g, 'f')
    .replace(/wh/g, 'w').replace(/ck/g, 'k').replace(/q/g, 'k').replace(/x/g, (m, i: number) => (i === 0 ? 's' : 'ks'))
    .replace(/c(?=[eiy])/g, 's').replace(/c/g, 'k').replace(/z/g, 's').replace(/dg/g, 'j').replace(/gh/g, '');
  const head = s.charAt(0);
  const rest = s.slice(1).replace(/h/g, '').replace(/[aeiouyw]/g, '');
  return (/[aeiouy]/.test(head) ? 'a' : head) + rest.replace(/(.)\1+/g, '$1');
}

export function closeEnough(spoken: string, known: string): boolean {
  if (spoken === known) return true;
  // Cheap rejections first: this runs against the whole vocabulary for every unknown word.
  if (spoken[0] !== known[0]) return false;
  const len = Math.min(spoken.length, known.length);
  if (len < 5) return false;
  const allowed = len >= 9 ? 2 : 1;
  if (Math.abs(spoken.length - known.length) > allowed) return false;
  if (/\d/.test(spoken) || /\d/.test(known)) return false;
  return editDistance(spoken, known, allowed) <= allowed;
}
