// `hestia doctor`: every piece checked and reported, failures named, nothing downloaded or changed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doctor } from '../src/cli/commands/doctor.js';
import { writeFixtureModel } from '../src/model/fixture/qwen2-fixture.js';
import { fakeIo } from './support/fake-io.js';
import { haHomeFrom } from './support/ha-home.js';
import { HomeAssistantTestServer } from './support/ha-server.js';
import { freePort } from './support/ports.js';

let dir: string;
let tiny: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hestia-doctor-'));
  tiny = join(dir, 'tiny.gguf');
  await writeFixtureModel({ preset: 'tiny', out: tiny });
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

interface Report {
  checks: Array<{ name: string; verdict: string; detail: string; facts?: Record<string, unknown> }>;
}

describe('hestia doctor', () => {
  it('reports the home from Home Assistant, the model on the CPU with its speed, and the audit folder', async () => {
    const server = await HomeAssistantTestServer.start(haHomeFrom(fileURLToPath(new URL('./eval/homes/townhouse.json', import.meta.url))), { token: 't' });
    try {
      const file = join(dir, 'hestia.yaml');
      await writeFile(file, ['model:', `  path: ${tiny}`, '  gpu: cpu', '  threads: 1', 'audit:', `  file: ${join(dir, 'audit', 'audit.jsonl')}`, ''].join('\n'));
      const io = fakeIo(['--config', file, '--ha-url', server.url, '--json'], { HESTIA_HA_TOKEN: 't' });
      expect(await doctor(io)).toBe(0);
      const report = JSON.parse(io.out()) as Report;
      const by = Object.fromEntries(report.checks.map((c) => [c.name, c]));
      expect(by['config']?.verdict).toBe('ok');
      expect(by['home']).toMatchObject({ verdict: 'ok', facts: { entities: 133 } });
      expect(by['broker']?.detail).toContain('embedded broker');
      expect(by['model']).toMatchObject({ verdict: 'ok', facts: { backend: 'cpu', threads: 1, gpu_layers: 0 } });
      expect(by['model']?.facts?.['ms_per_token']).toBeGreaterThan(0);
      expect(by['audit']?.verdict).toBe('ok');
      expect(io.out()).not.toContain('"t"');
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('names what fails: an unreachable broker and a missing model file, with exit 1', async () => {
    const port = await freePort();
    const file = join(dir, 'broken.yaml');
    await writeFile(file, ['mqtt:', `  url: mqtt://127.0.0.1:${port}`, 'model:', `  path: ${join(dir, 'missing.gguf')}`, 'audit:', '  enabled: false', ''].join('\n'));
    const io = fakeIo(['--config', file]);
    expect(await doctor(io)).toBe(1);
    expect(io.out()).toMatch(/✗ broker +mqtt:\/\/127\.0\.0\.1:\d+: /);
    expect(io.out()).toMatch(/✗ model +no model file at .*missing\.gguf/);
    expect(io.out()).toContain('- audit   disabled');
  }, 30_000);
});
