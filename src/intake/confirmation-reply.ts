// How a follow-up answers a pending confirmation: a plain yes (with a PIN when one is asked), a
// plain no, or something else — which is a new request and ends the dialog. Strict on purpose: "yes,
// and unlock the back door too" is not a yes, so a confirmation can never carry a second action.
export type ConfirmationReply = { kind: 'yes'; pin?: string } | { kind: 'no' } | { kind: 'other' };

const YES = ['yes', 'yeah', 'yep', 'yup', 'sure', 'ok', 'okay', 'confirm', 'confirmed', 'correct', 'affirmative', 'absolutely', 'right', 'do it', 'go ahead', 'go for it', 'please do', 'that is right', 'thats right', 'of course', 'yes please'];
const NO = ['no', 'nope', 'nah', 'cancel', 'stop', 'dont', 'do not', 'never mind', 'nevermind', 'abort', 'negative', 'forget it', 'not now', 'no thanks', 'leave it'];
const FILLERS = new Set(['please', 'hestia', 'thanks', 'thank', 'you', 'the', 'pin', 'code', 'is', 'my', 'its', 'it', 'and', 'with', 'that', 'this', 'thing']);
const DIGIT_WORDS: Record<string, string> = { zero: '0', oh: '0', o: '0', one: '1', two: '2', to: '2', too: '2', three: '3', four: '4', for: '4', five: '5', six: '6', seven: '7', eight: '8', ate: '8', nine: '9' };

/** Longest phrases first, so "do not" is read before "do" and "go ahead" as one. */
function consume(words: string[], phrases: readonly string[]): { matched: number; rest: string[] } {
  const sorted = [...phrases].map((p) => p.split(' ')).sort((a, b) => b.length - a.length);
  const rest: string[] = [];
  let matched = 0;
  for (let i = 0; i < words.length; ) {
    const hit = sorted.find((p) => p.every((w, k) => words[i + k] === w));
    if (hit) {
      matched += 1;
      i += hit.length;
    } else {
      rest.push(words[i] as string);
      i += 1;
    }
  }
  return { matched, rest };
}

export function readConfirmationReply(text: string): ConfirmationReply {
  const words = text
    .toLowerCase()
    .replace(/[\u2018\u2019']/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  if (words.length === 0 || words.length > 16) return { kind: 'other' };
  const no = consume(words, NO);
  if (no.matched > 0) {
    // "no" and nothing else that means something.
    return no.rest.every((w) => FILLERS.has(w)) && consume(no.rest, YES).matched === 0 ? { kind: 'no' } : { kind: 'other' };
  }
  const yes = consume(words, YES);
  // Digits said as digits or as words ("one two three four", heard "to" and "for" included).
  const digits: string[] = [];
  let other = false;
  for (const w of yes.rest) {
    if (/^\d+$/.test(w)) digits.push(w);
    else if (yes.rest.some((x) => /^\d+$/.test(x) || (DIGIT_WORDS[x] !== undefined && !FILLERS.has(x))) && DIGIT_WORDS[w] !== undefined) digits.push(DIGIT_WORDS[w] as string);
    else if (!FILLERS.has(w)) other = true;
  }
  if (other) return { kind: 'other' };
  const pin = digits.join('');
  if (yes.matched === 0 && pin === '') return { kind: 'other' };
  return pin ? { kind: 'yes', pin } : { kind: 'yes' };
}
