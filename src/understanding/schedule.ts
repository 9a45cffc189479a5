// Requests for later, for a while, on a schedule or on a condition: "turn on the porch light at 7
// pm", "switch the kettle on every morning", "turn the heater on for an hour", "when I get home".
// Hestia acts now or not at all, so the fast path never takes them — not even when a time word
// happens to be part of a device's name ("Quiet Hours", "Good Morning") — and leaves the answer
// to the model, which is told it cannot schedule.
import { normalizeText } from '../catalog/normalize.js';

const DAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekday|weekend|day)s?';
const PART = '(?:morning|afternoon|evening|night|midnight|noon)s?';
/** Without "night": "turn on the night light" names a device, not a time. */
const PART_OF_DAY = '(?:morning|afternoon|evening)s?';
const UNIT = '(?:second|sec|minute|min|hour|hr|day|week|month|moment)s?';
const AMOUNT = '(?:\\d+(?:\\.\\d+)?|a|an|a few|a couple of|couple of|half an|half a|several|some|another)';

const SCHEDULE: RegExp[] = [
  new RegExp(`\\b(?:every|each)\\s+(?:\\d+\\s+)?(?:${DAY}|${PART}|${UNIT}|time|other)\\b`),
  /\b(?:daily|weekly|hourly|nightly|tomorrow|tonight|yesterday|later|until|till|unless|whenever|when|overnight|afterwards?|beforehand)\b/,
  new RegExp(`\\b(?:in|for|after|within|over)\\s+(?:the\\s+next\\s+)?${AMOUNT}\\s+${UNIT}\\b`),
  new RegExp(`\\b(?:in|this|tomorrow)\\s+(?:the\\s+)?${PART_OF_DAY}\\b`),
  new RegExp(`\\bon\\s+${DAY}\\b`),
  /\bfor\s+(?:a\s+)?(?:while|bit|little while|moment|sec|second)\b/,
  /\b(?:after|before|around)\s+(?:sunset|sunrise|dusk|dawn|dark|dinner|lunch|breakfast|bedtime|midnight|noon|\d+)\b/,
  /\bby\s+(?:sunset|sunrise|dusk|dawn|dark|dinner|bedtime|midnight|noon)\b/,
  /\bat\s+(?:sunset|sunrise|dusk|dawn|noon|midnight|bedtime|\d+(?:\.\d+)?\s*(?:am|pm|oclock|o clock|h))\b/,
  /\b\d+(?:\.\d+)?\s*(?:am|pm|oclock)\b/,
  /\b(?:as soon as|once i|once we|once it|once the|once everyone|once somebody|once someone)\b/,
];

/** Whether a request asks for something later, for a while, repeatedly or on a condition. */
export function asksForLaterOrCondition(text: string): boolean {
  const t = normalizeText(text);
  return SCHEDULE.some((re) => re.test(t));
}
