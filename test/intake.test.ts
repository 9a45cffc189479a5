// Intake: payloads become requests or coded errors (with whatever id and site were readable), sites
// map to areas, and repeated ids share one reply.
import { describe, expect, it } from 'vitest';
import { loadSnapshotFile } from '../src/catalog/snapshot.js';
import { demoHomeFile } from '../src/config/package-root.js';
import { ReplyCache } from '../src/intake/reply-cache.js';
import { parseRequestPayload } from '../src/intake/request.js';
import { speakerArea } from '../src/intake/speaker-area.js';

const limits = { maxPayloadBytes: 16384, maxTextLength: 1000 };
const parse = (p: unknown): ReturnType<typeof parseRequestPayload> => parseRequestPayload(typeof p === 'string' ? p : JSON.stringify(p), limits);

describe('request payloads', () => {
  it('accepts a minimal request and keeps only known optional fields (null means absent)', () => {
    expect(parse({ id: 'a', text: 'lights on', site: 'kitchen', extra: true, conversation_id: null })).toEqual({
      ok: true,
      message: { id: 'a', text: 'lights on', site: 'kitchen' },
    });
  });

  it('codes each kind of bad input and keeps the id and site when they are readable', () => {
    const failure = (p: unknown): unknown => {
      const r = parse(p);
      return r.ok ? 'accepted' : { id: r.id, site: r.site, code: r.error.code };
    };
    expect(failure('{nope')).toEqual({ id: 'unknown', site: undefined, code: 'HESTIA_BAD_REQUEST' });
    expect(failure({ id: 5, text: 'x' })).toEqual({ id: 'unknown', site: undefined, code: 'HESTIA_BAD_REQUEST' });
    expect(failure({ id: 'b', text: '', site: 'den' })).toEqual({ id: 'b', site: 'den', code: 'HESTIA_BAD_REQUEST' });
    expect(failure({ id: 'c', text: 'x', site: 'a/b' })).toEqual({ id: 'c', site: undefined, code: 'HESTIA_BAD_REQUEST' });
    expect(failure({ id: 'd', text: 'é'.repeat(1001) })).toEqual({ id: 'd', site: undefined, code: 'HESTIA_TEXT_TOO_LONG' });
    expect(failure({ id: 'e', text: 'é'.repeat(1000) })).toBe('accepted');
    expect(failure({ id: 'f', text: 'x'.repeat(16400) })).toEqual({ id: 'unknown', site: undefined, code: 'HESTIA_PAYLOAD_TOO_LARGE' });
    const missing = parse({ id: 'g' });
    expect(!missing.ok && missing.error.message).toBe('text is missing');
  });
});

describe('speaker area', () => {
  it('prefers the request area, then the sites map, then a site named like an area', async () => {
    const catalog = await loadSnapshotFile(demoHomeFile());
    const sites = { 'sat-1': 'kitchen' };
    expect(speakerArea({ area_id: 'kitchen', site: 'sat-1' }, sites, catalog)).toBe('kitchen');
    expect(speakerArea({ site: 'sat-1' }, sites, catalog)).toBe('kitchen');
    expect(speakerArea({ site: 'kitchen' }, {}, catalog)).toBe('kitchen');
    expect(speakerArea({ site: 'Living Room' }, {}, catalog)).toBe('living_room');
    expect(speakerArea({ site: 'living-room' }, {}, catalog)).toBe('living_room');
    expect(speakerArea({ site: 'garden-shed-satellite' }, {}, catalog)).toBeUndefined();
    expect(() => speakerArea({ area_id: 'dungeon' }, {}, catalog)).toThrow(/not an area of this home/);
  });
});

describe('reply cache', () => {
  it('shares the pending reply, keeps it for the window after it settles, then forgets it', async () => {
    let now = 1000;
    const cache = new ReplyCache<string>({ windowMs: 300_000, now: () => now });
    let settle!: (v: string) => void;
    const first = new Promise<string>((r) => (settle = r));
    cache.remember('r1', first);
    now += 10_000_000; // pending replies never expire
    expect(cache.lookup('r1')).toBe(first);
    settle('reply');
    await first;
    now += 299_999;
    expect(await cache.lookup('r1')).toBe('reply');
    now += 1;
    expect(cache.lookup('r1')).toBeUndefined();
  });
});
