// The daemon with the model planner, over its embedded broker: the fast path answers what it
// knows, the tiny model (random weights) what it does not; every command published is for a
// real entity, exactly one reply per request, and a model that cannot be loaded is reported.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshotFile } from '../src/catalog/snapshot.js';
import { checkCatalog } from '../src/checks/catalog-check.js';
import { demoHomeFile } from '../src/config/package-root.js';
import { writeFixtureModel } from '../src/model/fixture/qwen2-fixture.js';
import type { Action } from '../src/plan/types.js';
import { startDaemon } from './support/daemon-harness.js';
import { Probe } from './support/mqtt-probe.js';

let dir: string;
let tinyPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hestia-daemon-model-'));
  tinyPath = join(dir, 'tiny.gguf');
  await writeFixtureModel({ preset: 'tiny', out: tinyPath });
}, 60_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

interface Reply {
  id: string;
  status: string;
  source: string;
  actions: Action[];
  query_entity_ids: string[];
  published: Array<{ entity_id: string; topic: string }>;
}

describe('hestia run with a model', () => {
  it('plans with the fast path and the model, publishing only commands for real entities', async () => {
    const running = await startDaemon({ config: { model: { enabled: true, path: tinyPath, threads: 1, cache_dir: join(dir, 'cache') } } });
    const probe = await Probe.connect(running.url);
    try {
      await probe.subscribe('hestia/reply/+', 'hestia/command/#');
      const catalog = await loadSnapshotFile(demoHomeFile());
      const texts = ['turn on the kitchen ceiling light', 'make the place feel cosy for a film', 'is anything left on downstairs', 'i am cold'];
      for (const [i, text] of texts.entries()) await probe.publish('hestia/request', { id: `m${i}`, text, site: 'living_room' });
      const replies: Reply[] = [];
      for (const [i] of texts.entries()) replies.push(await probe.reply<Reply>(`m${i}`, 30_000));
      expect(replies[0]).toMatchObject({ status: 'ok', source: 'fast' });
      expect(replies.slice(1).every((r) => r.source === 'model')).toBe(true);
      for (const r of replies) {
        expect(r.status, JSON.stringify(r)).toMatch(/^(ok|needs_confirmation|no_match)$/);
        expect(checkCatalog(r, catalog)).toEqual([]);
        for (const p of r.published) expect(catalog.entity(p.entity_id)?.exposed).toBe(true);
        if (r.status !== 'ok') expect(r.published).toEqual([]);
        if (r.actions.length === 0) expect(r.published).toEqual([]);
      }
      for (const [i] of texts.entries()) expect(probe.on('hestia/reply/').filter((m) => m.payload.includes(`"m${i}"`))).toHaveLength(1);
      expect(running.logs.text).toContain('"msg":"model loaded"');
      expect(running.logs.text).toContain('"msg":"model prompt prefix ready"');
    } finally {
      await probe.close();
      await running.daemon.stop();
    }
  }, 90_000);

  it('runs on the fast path alone, saying so, when the default model cannot be had', async () => {
    // No path: the default hf: model, not in this empty cache, and downloads off (no test fetches 1 GB).
    const running = await startDaemon({ config: { model: { enabled: true, download: false, cache_dir: join(dir, 'empty-cache') } } });
    const probe = await Probe.connect(running.url);
    try {
      await probe.subscribe('hestia/reply/+');
      await probe.publish('hestia/request', { id: 'f1', text: 'turn on the kitchen ceiling light' });
      expect(await probe.reply<Reply>('f1')).toMatchObject({ status: 'ok', source: 'fast' });
      expect(running.logs.text).toContain('the default model is not available');
      expect(running.logs.text).toContain('HESTIA_MODEL_UNAVAILABLE');
    } finally {
      await probe.close();
      await running.daemon.stop();
    }
  }, 30_000);
});
