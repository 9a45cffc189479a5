// `hestia plan`: JSON-line requests in, one plan per line out, in input order, bad lines answered
// with an error plan instead of stopping the run. Tested in-process through a fake CliIo and as
// the real built command (`npm test` compiles dist/ first).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSnapshotFile } from '../src/catalog/snapshot.js';
import { plan as planCommand, parseRequestLine } from '../src/cli/commands/plan.js';
import type { CliIo } from '../src/cli/io.js';
import { checkPlanSchema } from '../src/checks/schema-check.js';
import type { Plan } from '../src/plan/types.js';

const CLI = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
const tmp = await mkdtemp(join(tmpdir(), 'hestia-plan-cli-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

const smallHome = join(tmp, 'small-home.json');
await writeFile(smallHome, JSON.stringify({
  areas: [{ area_id: 'studio', name: 'Studio' }, { area_id: 'yard', name: 'Yard' }],
  entities: [
    { entity_id: 'light.studio_lamp', name: 'Studio Lamp', area_id: 'studio', state: 'off', attributes: { supported_color_modes: ['brightness'] } },
    { entity_id: 'cover.yard_gate', name: 'Yard Gate', area_id: 'yard', device_class: 'gate', state: 'closed' },
  ],
}));

interface Result {
  code: number;
  plans: Plan[];
  stdout: string;
  stderr: string;
}

function collector(options: { highWaterMark?: number; delayMs?: number } = {}): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    highWaterMark: options.highWaterMark ?? 16_384,
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      if (options.delayMs) setTimeout(done, options.delayMs);
      else done();
    },
  });
  return Object.assign(w, { text: () => chunks.join('') });
}

function parsePlans(stdout: string): Plan[] {
  return stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Plan);
}

async function inProcess(argv: string[], input: string, stdout = collector(), signal = new AbortController().signal): Promise<Result> {
  const stderr = collector();
  const io: CliIo = { argv, env: {}, stdin: Readable.from([input]), stdout, stderr, signal };
  const code = await planCommand(io);
  return { code, get plans() { return parsePlans(stdout.text()); }, stdout: stdout.text(), stderr: stderr.text() };
}

async function spawned(argv: string[], input: string): Promise<Result> {
  // Run from elsewhere: the demo home and the plan schema are found from the package, not the cwd.
  const child = spawn(process.execPath, [CLI, 'plan', ...argv], { cwd: tmp, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(input);
  const [code] = (await once(child, 'close')) as [number];
  return { code, plans: parsePlans(stdout), stdout, stderr };
}

const lines = (...items: Array<object | string>): string => items.map((i) => (typeof i === 'string' ? i : JSON.stringify(i))).join('\n') + '\n';

describe('hestia plan, in-process', () => {
  it('answers every line in input order, against the demo home by default, executing nothing', async () => {
    const r = await inProcess([], lines(
      { id: 'a', text: 'turn on the porch light' },
      { id: 'b', text: 'purple monkey dishwasher' },
      { id: 'c', text: 'unlock the front door' },
      { id: 'd', text: 'close the garage door' },
    ));
    expect(r.code).toBe(0);
    expect(r.plans.map((p) => p.id)).toEqual(['a', 'b', 'c', 'd']);
    for (const p of r.plans) expect(checkPlanSchema(p)).toEqual([]);
    expect(r.plans[0]).toMatchObject({ status: 'ok', source: 'fast', actions: [{ domain: 'light', service: 'turn_on', entity_ids: ['light.porch'] }] });
    expect(r.plans[1]).toMatchObject({ status: 'no_match', source: 'none', actions: [], speech: "Sorry, I didn't understand that." });
    // Unlocking is never simply ok: either the fast path leaves it alone or it needs a confirmation.
    expect(['no_match', 'needs_confirmation']).toContain(r.plans[2]?.status);
    if (r.plans[2]?.status === 'needs_confirmation') expect(r.plans[2].confirmation?.question).toMatch(/Front Door\?$/);
    expect(r.plans[3]).toMatchObject({ status: 'ok', actions: [{ domain: 'cover', service: 'close_cover', entity_ids: ['cover.garage_door'] }] });
  });

  it('answers a bad line with an error plan and goes on; blank lines are skipped', async () => {
    const long = 'turn on the lamp '.repeat(70);
    const r = await inProcess(['--home', smallHome], lines(
      'this is not json',
      '',
      { id: 'no-text' },
      { text: 'turn on the studio lamp' },
      { id: '', text: 'turn on the studio lamp' },
      '   ',
      { id: 'long', text: long },
      { id: 42, text: 'turn on the studio lamp' },
      '["an", "array"]',
      { id: 'empty', text: '  ' },
      { id: 'where', text: 'turn on the studio lamp', area_id: 'attic' },
      { id: 'fine', text: 'turn on the studio lamp' },
    ));
    expect(r.code).toBe(0);
    const summary = r.plans.map((p) => [p.id, p.status, p.error?.code]);
    expect(summary).toEqual([
      ['line-1', 'error', 'HESTIA_BAD_REQUEST'],
      ['no-text', 'error', 'HESTIA_BAD_REQUEST'],
      ['line-4', 'error', 'HESTIA_BAD_REQUEST'],
      ['line-5', 'error', 'HESTIA_BAD_REQUEST'],
      ['long', 'error', 'HESTIA_TEXT_TOO_LONG'],
      ['line-8', 'error', 'HESTIA_BAD_REQUEST'],
      ['line-9', 'error', 'HESTIA_BAD_REQUEST'],
      ['empty', 'error', 'HESTIA_BAD_REQUEST'],
      ['where', 'error', 'HESTIA_BAD_REQUEST'],
      ['fine', 'ok', undefined],
    ]);
    for (const p of r.plans) expect(checkPlanSchema(p)).toEqual([]);
    expect(r.plans[0]?.error?.message).toMatch(/line 1 is not valid JSON/);
    expect(r.plans[1]?.error?.message).toMatch(/text is missing/);
    expect(r.plans[8]?.error?.message).toMatch(/area_id attic/);
    expect(r.plans[0]).toMatchObject({ source: 'none', actions: [], query_entity_ids: [] });
  });

  it('takes text up to 1000 characters', async () => {
    const r = await inProcess(['--home', smallHome], lines({ id: 'edge', text: `${'x'.repeat(998)} y` }, { id: 'over', text: 'x'.repeat(1001) }));
    expect(r.plans.map((p) => p.error?.code)).toEqual([undefined, 'HESTIA_TEXT_TOO_LONG']);
  });

  it('keeps order and every line when stdout is slow to take them', async () => {
    const input = Array.from({ length: 200 }, (_, i) => ({ id: `s${i}`, text: i % 2 ? 'turn off the studio lamp' : 'no idea what this is' }));
    const slow = collector({ highWaterMark: 64, delayMs: 0 });
    const r = await inProcess(['--home', smallHome], lines(...input), slow);
    expect(r.code).toBe(0);
    expect(r.plans.map((p) => p.id)).toEqual(input.map((l) => l.id));
  });

  it('asks before opening a gate', async () => {
    const r = await inProcess(['--home', smallHome], lines({ id: 'g', text: 'open the yard gate' }));
    expect(['no_match', 'needs_confirmation']).toContain(r.plans[0]?.status);
  });

  it('uses --area for requests that name no area, and the line\'s own area_id first', async () => {
    const catalog = await loadSnapshotFile(smallHome);
    expect(parseRequestLine('{"id":"x","text":"lights on"}', 1, catalog, 'studio')).toMatchObject({ area_id: 'studio' });
    expect(parseRequestLine('{"id":"x","text":"lights on","area_id":"yard"}', 1, catalog, 'studio')).toMatchObject({ area_id: 'yard' });
    expect(parseRequestLine('{"id":"x","text":"lights on","area_id":null}', 1, catalog, null)).toMatchObject({ area_id: null });
  });

  it('stops when interrupted and says so', async () => {
    const stdin = new PassThrough();
    const stdout = collector();
    const stderr = collector();
    const controller = new AbortController();
    const done = planCommand({ argv: ['--home', smallHome], env: {}, stdin, stdout, stderr, signal: controller.signal });
    stdin.write('{"id":"one","text":"turn on the studio lamp"}\n');
    await new Promise((r) => setTimeout(r, 50));
    controller.abort(new Error('received SIGINT'));
    expect(await done).toBe(1);
    expect(parsePlans(stdout.text()).map((p) => p.id)).toEqual(['one']);
    expect(stderr.text()).toMatch(/interrupted/);
  });

  it('stops reading when its output breaks instead of planning into the void', async () => {
    let pulled = 0;
    const total = 100_000;
    const stdin = new Readable({
      read() {
        pulled += 1;
        this.push(pulled <= total ? `{"id":"p${pulled}","text":"turn off the studio lamp"}\n` : null);
      },
    });
    let writes = 0;
    const stdout = new Writable({
      write(_chunk, _enc, done) {
        writes += 1;
        done(writes >= 5 ? Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }) : null);
      },
    });
    const code = await planCommand({ argv: ['--home', smallHome], env: {}, stdin, stdout, stderr: collector(), signal: new AbortController().signal });
    expect(code).toBe(0);
    expect(pulled).toBeLessThan(total / 10);
  });

  it('refuses options it cannot honour with exit code 2', async () => {
    const model = await inProcess(['--model', join(tmp, 'some.gguf')], '');
    expect(model.code).toBe(2);
    expect(model.stderr).toMatch(/HESTIA_MODEL_UNAVAILABLE/);
    expect(model.stderr).toMatch(/no model file at .*some\.gguf/);
    expect(model.stdout).toBe('');

    const area = await inProcess(['--home', smallHome, '--area', 'attic'], '');
    expect(area.code).toBe(2);
    expect(area.stderr).toMatch(/attic/);

    const unknown = await inProcess(['--homes', smallHome], '');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/usage: hestia plan/);

    expect((await inProcess(['--model', 'm.gguf', '--no-model'], '')).code).toBe(2);
  });

  it('refuses a bad home file with exit code 2 and the reason', async () => {
    const broken = join(tmp, 'broken.json');
    await writeFile(broken, '{"entities": [{"entity_id": "Not An Id"}]}');
    const r = await inProcess(['--home', broken], lines({ id: 'a', text: 'hello' }));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/HESTIA_BAD_HOME/);
    expect(r.stderr).toMatch(/entity_id/);

    const missing = await inProcess(['--home', join(tmp, 'nowhere.json')], '');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read home file/);
  });

  it('prints its usage with --help', async () => {
    const r = await inProcess(['--help'], '');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: hestia plan/);
    expect(r.stdout).toMatch(/--no-model/);
  });
});

describe('hestia plan, the built command', () => {
  it('plans 500 lines against the demo home in order and exits 0', async () => {
    const texts = ['turn on the kitchen light', 'set the thermostat to 21', 'what is this', 'unlock the back door', 'not json'];
    const input = Array.from({ length: 500 }, (_, i) => {
      const text = texts[i % texts.length] as string;
      return text === 'not json' ? text : { id: `r${i}`, text };
    });
    const r = await spawned([], lines(...input));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.plans).toHaveLength(500);
    expect(r.plans.map((p) => p.id)).toEqual(input.map((l, i) => (typeof l === 'string' ? `line-${i + 1}` : l.id)));
    expect(new Set(r.plans.map((p) => p.status))).toContain('ok');
    expect(r.plans.filter((p) => p.error?.code === 'HESTIA_BAD_REQUEST')).toHaveLength(100);
  });

  it('reads --home and reports a bad one with exit code 2', async () => {
    const r = await spawned(['--home', smallHome], lines({ id: 'x', text: 'turn on the studio lamp' }));
    expect(r.code).toBe(0);
    expect(r.plans).toMatchObject([{ id: 'x', status: 'ok', actions: [{ entity_ids: ['light.studio_lamp'] }] }]);

    const bad = await spawned(['--home', join(tmp, 'nowhere.json')], '');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/hestia plan: cannot read home file .*nowhere\.json.*\(HESTIA_BAD_HOME\)/);
  });

  it('fails fast and clearly when asked for a model', async () => {
    const r = await spawned(['--model', '/models/r1.gguf'], '');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/HESTIA_MODEL_UNAVAILABLE/);
  });

  it('ends quietly when its reader goes away', async () => {
    const child = spawn(process.execPath, [CLI, 'plan'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const first = once(child.stdout, 'data');
    child.stdin.write(lines({ id: 'a', text: 'turn on the porch light' }));
    await first;
    child.stdout.destroy();
    child.stdin.end(lines(...Array.from({ length: 2000 }, (_, i) => ({ id: `b${i}`, text: 'turn off the porch light' }))));
    const [code] = (await once(child, 'close')) as [number];
    expect(stderr).not.toMatch(/Error|at /);
    expect(code).toBe(0);
  });
});
