import { describe, expect, it } from 'vitest';
import { closeEnough, editDistance, nameKey, normalizeText, stem } from '../src/catalog/normalize.js';

describe('normalizeText', () => {
  it('lowercases, strips punctuation and accents, expands contractions', () => {
    expect(normalizeText("What's the Café's temperature?")).toBe('what is the cafe temperature');
    expect(normalizeText("Don't turn it ON!")).toBe('do not turn it on');
  });
  it('turns numbers said as words into digits', () => {
    expect(normalizeText('set it to twenty one point five degrees')).toBe('set it to 21.5 degrees');
    expect(normalizeText('one hundred percent')).toBe('100 percent');
    expect(normalizeText('a hundred')).toBe('100');
    expect(normalizeText('seventy two and a half')).toBe('72.5');
    expect(normalizeText('bedroom two')).toBe('bedroom 2');
  });
  it('splits units from numbers', () => {
    expect(normalizeText('50%')).toBe('50 percent');
    expect(normalizeText('21°C')).toBe('21 degrees');
    expect(normalizeText('2700K')).toBe('2700 kelvin');
  });
});

describe('stem and nameKey', () => {
  it('makes plurals singular without breaking words that end in s', () => {
    expect(['lights', 'switches', 'batteries', 'blinds', 'glass', 'status', 'is'].map(stem)).toEqual([
      'light', 'switch', 'battery', 'blind', 'glass', 'status', 'is',
    ]);
  });
  it('drops articles from names', () => {
    expect(nameKey('The Kitchen Lights')).toEqual(['kitchen', 'light']);
  });
});

describe('slip tolerance', () => {
  it('counts a swap of neighbouring letters as one edit', () => {
    expect(editDistance('swtich', 'switch')).toBe(1);
    expect(editDistance('kitchen', 'kitchn')).toBe(1);
  });
  it('accepts one slip in longer words only, and never in numbers', () => {
    expect(closeEnough('kitchn', 'kitchen')).toBe(true);
    expect(closeEnough('lamp', 'lump')).toBe(false);
    expect(closeEnough('garage', 'garden')).toBe(false);
    expect(closeEnough('bedroom2', 'bedroom3')).toBe(false);
  });
});

describe('soundKey', () => {
  it('gives homophones a speech recogniser writes the same key, and different words different keys', async () => {
    const { soundKey } = await import('../src/catalog/normalize.js');
    const same: Array<[string, string]> = [['geezer', 'geyser'], ['dore', 'door'], ['rosy', 'rosie'], ['knight', 'night'], ['fone', 'phone']];
    const different: Array<[string, string]> = [['lamp', 'light'], ['kettle', 'kitchen'], ['fan', 'van']];
    for (const [a, b] of same) {
      expect(soundKey(a), `${a} ~ ${b}`).toBe(soundKey(b));
    }
    for (const [a, b] of different) {
      expect(soundKey(a), `${a} / ${b}`).not.toBe(soundKey(b));
    }
  });
});
