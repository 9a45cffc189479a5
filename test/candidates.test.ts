// Candidate retrieval: the entities a model would be offered for a request.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalogFromSnapshot } from '../src/catalog/snapshot.js';
import { growHome } from '../src/catalog/synthetic-home.js';
import type { HomeSnapshot } from '../src/catalog/types.js';
import { retrieveCandidates } from '../src/understanding/candidates/retrieve-candidates.js';
import { CatalogIndex } from '../src/understanding/fastpath/catalog-index.js';
import { fakeIo } from './support/fake-io.js';
import { plan } from '../src/cli/commands/plan.js';

const demoFile = fileURLToPath(new URL('../config/demo-home.json', import.meta.url));
const demo = JSON.parse(readFileSync(demoFile, 'utf8')) as HomeSnapshot;

function setUp(snapshot: HomeSnapshot) {
  const catalog = catalogFromSnapshot(snapshot);
  const index = new CatalogIndex(catalog);
  return (text: string, area: string | null = null, options = {}) => retrieveCandidates(text, area, catalog, index, options);
}

describe('candidate retrieval', () => {
  const ask = setUp(demo);

  it('offers the devices a request names, by room and kind', () => {
    expect(ask('turn on the kitchen light').entity_ids.sort()).toEqual(['light.kitchen_ceiling', 'light.kitchen_counter']);
    expect(ask('is the front door locked').entity_ids).toContain('lock.front_door');
  });

  it('keeps a group said as one whole, even past the budget', () => {
    const r = ask('turn off all the lights upstairs', null, { budget: 3 });
    expect(r.entity_ids).toHaveLength(7);
    expect(r.group_too_large).toBe(false);
  });

  it('says when such a group is too large rather than cutting it', () => {
    const r = ask('turn off all the lights upstairs', null, { maxGroup: 5 });
    expect(r.group_too_large).toBe(true);
    expect(r.entity_ids.filter((id) => id.startsWith('light.bedside'))).toEqual([]);
  });

  it('trims lower-ranked candidates to the budget', () => {
    const r = ask('turn off the lights', null, { budget: 5 });
    expect(r.entity_ids).toHaveLength(5);
    expect(r.truncated).toBe(true);
  });

  it('falls back to the speaker\'s room, then the home\'s routines, when nothing is recognisable', () => {
    const r = ask('make it cozy in here', 'office');
    expect(r.entity_ids).toContain('light.desk_lamp');
    const routines = r.entity_ids.filter((id) => id.startsWith('scene.') || id.startsWith('script.'));
    const room = r.entity_ids.filter((id) => !routines.includes(id));
    expect(room.length).toBeGreaterThan(0);
    expect(room.every((id) => id.includes('office') || id.includes('desk'))).toBe(true);
    // The room's devices rank before the routines.
    expect(r.entity_ids.slice(0, room.length)).toEqual(room);
    expect(ask('get the house ready for the night', null).entity_ids).toEqual(expect.arrayContaining(['script.bedtime', 'scene.good_morning']));
  });

  it('reads a feeling or a mood as the kind of device it calls for, in the speaker\'s room when it has one', () => {
    // "I'm freezing" in the bedroom: its air conditioner, not the whole room and every routine.
    expect(ask('i am freezing', 'bedroom').entity_ids).toEqual(['climate.bedroom_ac']);
    // A room without one: the home's thermostats.
    const elsewhere = ask('brr it is freezing', 'kitchen').entity_ids;
    expect(elsewhere.length).toBeGreaterThan(0);
    expect(elsewhere.sort()).toEqual(['climate.bedroom_ac', 'climate.thermostat', 'switch.office_heater']);
    expect(ask('way too dark in here', 'office').entity_ids.every((id) => id.startsWith('light.'))).toBe(true);
    const film = ask('i want to watch a film', 'living_room').entity_ids;
    expect(film).toEqual(expect.arrayContaining(['media_player.living_room_tv', 'scene.movie_night']));
    expect(film.some((id) => id.startsWith('light.'))).toBe(false);
    // With a room said the hint does not narrow it: "relaxing" may be music as well as light.
    expect(ask('put something relaxing on in the bedroom').entity_ids).toEqual(expect.arrayContaining(['media_player.bedroom_speaker', 'light.bedside_left', 'climate.bedroom_ac']));
    // A device said by name outweighs the hint.
    expect(ask('i am freezing switch on the sofa lamp', 'bedroom').entity_ids).toEqual(['light.sofa_lamp']);
  });

  it('a change is offered what can make it, the speaker\'s floor first, also beside other kinds said', async () => {
    const { loadSnapshotFile } = await import('../src/catalog/snapshot.js');
    const row = await loadSnapshotFile(fileURLToPath(new URL('./eval/homes/rowhouse.json', import.meta.url)));
    const askRow = (text: string, area: string | null) => retrieveCandidates(text, area, row, new CatalogIndex(row)).entity_ids;
    // The back office has no thermostat; its floor's zone comes first, and no thermometer is offered.
    const heat = askRow('bump the heat up', 'office_back');
    expect(heat[0]).toBe('climate.zone_first');
    expect(heat.every((id) => id.startsWith('climate.'))).toBe(true);
    expect(askRow('kill the office lights and bump the heat up a couple degrees', 'office_back')).toContain('climate.zone_first');
  });

  it('offers the conversation\'s last device for "it"', () => {
    expect(ask('turn it off', null, { previous: ['light.porch'] }).entity_ids).toEqual(['light.porch']);
  });

  it('stays small and finds the same device in a home grown to 2000 entities', () => {
    const big = setUp(growHome(demo, 2000));
    const r = big('dim the sofa lamp to thirty percent');
    expect(r.entity_ids).toContain('light.sofa_lamp');
    expect(r.entity_ids.length).toBeLessThanOrEqual(5);
  });
});

describe('growHome', () => {
  it('keeps every room and device and adds new ones off the existing floors', () => {
    const grown = growHome(demo, 200);
    expect(grown.entities).toHaveLength(200);
    expect(grown.entities.slice(0, demo.entities.length)).toEqual(demo.entities);
    const newAreas = new Set(grown.entities.slice(demo.entities.length).map((e) => e.area_id));
    for (const a of newAreas) expect(grown.areas?.find((x) => x.area_id === a)?.floor_id).toBe('west_wing');
  });
});

describe('hestia plan --explain', () => {
  it('adds the candidates to every line, also when the fast path answered', async () => {
    const io = fakeIo(['--home', demoFile, '--explain']);
    (io.stdin as NodeJS.WritableStream & NodeJS.ReadableStream).end('{"id":"a","text":"turn on the kitchen light"}\nnot json\n');
    expect(await plan(io)).toBe(0);
    const [first, second] = io.out().trim().split('\n').map((l) => JSON.parse(l) as { status: string; explain: { candidate_entity_ids: string[] } });
    expect(first?.status).toBe('ok');
    expect(first?.explain.candidate_entity_ids.sort()).toEqual(['light.kitchen_ceiling', 'light.kitchen_counter']);
    expect(second?.explain.candidate_entity_ids).toEqual([]);
  });
  it('leaves the output as it was without the flag', async () => {
    const io = fakeIo(['--home', demoFile]);
    (io.stdin as NodeJS.WritableStream & NodeJS.ReadableStream).end('{"id":"a","text":"turn on the kitchen light"}\n');
    expect(await plan(io)).toBe(0);
    expect(JSON.parse(io.out())).not.toHaveProperty('explain');
  });
});
