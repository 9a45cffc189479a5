// GBNF for numbers inside a range. node-llama-cpp's JSON-schema grammar ignores minimum/maximum,
// so the model planner writes its own: a value the grammar accepts is always within the field's
// limits, and the model cannot even start writing 90 for a thermostat that stops at 30.

/** GBNF for the whole numbers lo..hi (both non-negative), as an alternation of digit patterns. */
export function gbnfUnsignedRange(lo: number, hi: number): string {
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || lo > hi) throw new RangeError(`bad range ${lo}..${hi}`);
  return mergePieces(splitRange(lo, hi))
    .map(({ head, first, last, k }) => {
      const lead = first === last ? `"${head}${first}"` : `${head ? `"${head}" ` : ''}[${first}-${last}]`;
      return k === 0 ? lead : `${lead} [0-9]${k > 1 ? `{${k}}` : ''}`;
    })
    .join(' | ');
}

/** lo..hi as blocks [n * 10^k, (n + 1) * 10^k - 1], each written as its leading digits and k free digits. */
function splitRange(lo: number, hi: number): Array<{ lead: string; k: number }> {
  const out: Array<{ lead: string; k: number }> = [];
  let n = lo;
  while (n <= hi) {
    let p = 1;
    // Grow the block while it starts on a boundary, ends within the range and keeps n's digit count.
    while (n % (p * 10) === 0 && n + p * 10 - 1 <= hi && String(n + p * 10 - 1).length === String(n).length) p *= 10;
    const k = String(p).length - 1;
    const digits = String(n);
    out.push({ lead: digits.slice(0, digits.length - k), k });
    n += p;
  }
  return out;
}

/** Neighbouring blocks that differ only in their last leading digit become one digit class. */
function mergePieces(pieces: Array<{ lead: string; k: number }>): Array<{ head: string; first: string; last: string; k: number }> {
  const out: Array<{ head: string; first: string; last: string; k: number }> = [];
  for (const { lead, k } of pieces) {
    if (lead === '') {
      // 0..9 written as one free digit.
      out.push({ head: '', first: '0', last: '9', k: 0 });
      continue;
    }
    const head = lead.slice(0, -1);
    const digit = lead.slice(-1);
    const prev = out[out.length - 1];
    if (prev && prev.k === k && prev.head === head && Number(prev.last) + 1 === Number(digit)) prev.last = digit;
    else out.push({ head, first: digit, last: digit, k });
  }
  return out;
}

export interface NumberRange {
  min: number;
  max: number;
  /** Digits allowed after the decimal point (0 for whole numbers). */
  decimals: number;
}

/**
 * GBNF for a JSON number in [min, max] with at most `decimals` decimals. Bounds that are not whole
 * numbers are rounded inwards, so the grammar may be slightly stricter than the check, never looser.
 */
export function gbnfNumberRange({ min, max, decimals }: NumberRange): string {
  const lo = Math.ceil(min);
  const hi = Math.floor(max);
  if (lo > hi) throw new RangeError(`no whole number in ${min}..${max}`);
  const parts: string[] = [];
  const positive = (a: number, b: number): string => {
    // Below the top, any fraction fits; the top itself takes only zeros after the point.
    const frac = decimals > 0 ? ` ("." [0-9]${decimals > 1 ? `{1,${decimals}}` : ''})?` : '';
    const zeros = decimals > 0 ? ` ("." "0"${decimals > 1 ? `{1,${decimals}}` : ''})?` : '';
    const alts: string[] = [];
    if (a <= b - 1) alts.push(`(${gbnfUnsignedRange(a, b - 1)})${frac}`);
    alts.push(`"${b}"${zeros}`);
    return alts.join(' | ');
  };
  if (hi >= 0) {
    const a = Math.max(lo, 0);
    parts.push(positive(a, hi));
  }
  if (lo < 0) {
    // Negative side: -1..-|lo| mirrors 1..|lo|; fractions only below |lo| in size.
    const b = -lo;
    const a = Math.max(1, -hi);
    const frac = decimals > 0 ? ` ("." [0-9]${decimals > 1 ? `{1,${decimals}}` : ''})?` : '';
    const zeros = decimals > 0 ? ` ("." "0"${decimals > 1 ? `{1,${decimals}}` : ''})?` : '';
    const alts: string[] = [];
    if (a <= b - 1) alts.push(`(${gbnfUnsignedRange(a, b - 1)})${frac}`);
    alts.push(`"${b}"${zeros}`);
    parts.push(`"-" (${alts.join(' | ')})`);
  }
  return parts.length === 1 ? (parts[0] as string) : parts.map((p) => `(${p})`).join(' | ');
}
