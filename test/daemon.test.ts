// The daemon over its embedded broker (aedes, MQTT 3.1.1): request -> plan -> commands -> one
// reply on <prefix>/reply/<site>, bad input, repeated ids, deadlines and a graceful stop.
import { afterEach, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { FixedPlanner, kitchenLightOn } from './support/planners.js';
import { Probe } from './support/mqtt-probe.js';
import { startDaemon, type Running } from './support/daemon-harness.js';

const planSchema = JSON.parse(readFileSync(new URL('../grammars/plan.schema.json', import.meta.url), 'utf8')) as object;
const validatePlan = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(planSchema);

let running: Running | undefined;
let probe: Probe | undefined;

afterEach(async () => {
  await probe?.close();
  await running?.daemon.stop();
  probe = undefined;
  running = undefined;
});

async function setUp(options: Parameters<typeof startDaemon>[0] = {}): Promise<{ running: Running; probe: Probe }> {
  running = await startDaemon(options);
  probe = await Probe.connect(running.url);
  await probe.subscribe('hestia/reply/+', 'hestia/command/#', 'hestia/status');
  return { running, probe };
}

/** The plan part of a reply, for the plan schema (published/undelivered sit beside the plan). */
function planOf(reply: Record<string, unknown>): Record<string, unknown> {
  const { published: _p, undelivered: _u, topic: _t, ...plan } = reply;
  return plan;
}

describe('daemon over the embedded broker', () => {
  it('understands "turn on the kitchen ceiling light", publishes the command and replies once', async () => {
    const { probe } = await setUp();
    await probe.publish('hestia/request', { id: 'r1', text: 'turn on the kitchen ceiling light', site: 'kitchen' });
    const reply = await probe.reply<{ status: string; source: string; actions: unknown[]; published: Array<{ topic: string; payload: string }>; timings_ms: Record<string, number> }>('r1');
    expect(reply.topic).toBe('hestia/reply/kitchen');
    expect(reply.status).toBe('ok');
    expect(reply.source).toBe('fast');
    expect(reply.actions).toEqual([{ domain: 'light', service: 'turn_on', entity_ids: ['light.kitchen_ceiling'], data: {} }]);
    expect(reply.published).toEqual([
      {
        entity_id: 'light.kitchen_ceiling',
        domain: 'light',
        service: 'turn_on',
        topic: 'hestia/command/light/kitchen_ceiling',
        payload: JSON.stringify({ request_id: 'r1', service: 'turn_on', data: {} }),
      },
    ]);
    expect(reply.timings_ms.execute).toBeGreaterThanOrEqual(0);
    expect(validatePlan(planOf(reply)), JSON.stringify(validatePlan.errors)).toBe(true);
    const command = await probe.waitFor((m) => m.topic === 'hestia/command/light/kitchen_ceiling');
    expect(JSON.parse(command.payload)).toEqual({ request_id: 'r1', service: 'turn_on', data: {} });
    expect(probe.on('hestia/reply/').filter((m) => m.payload.includes('"r1"'))).toHaveLength(1);
  });

  it('runs an injected planner\'s plan and gives the planner the site\'s area', async () => {
    const planner = kitchenLightOn();
    const { probe } = await setUp({ planners: [planner], config: { sites: { 'satellite-3': 'kitchen' } } });
    await probe.publish('hestia/request', { id: 'r2', text: 'brighter please', site: 'satellite-3', conversation_id: 'c9' });
    const reply = await probe.reply<{ status: string; speech: string; published: Array<{ topic: string; payload: string }> }>('r2');
    expect(reply.topic).toBe('hestia/reply/satellite-3');
    expect(reply.status).toBe('ok');
    expect(reply.speech).toBe('Kitchen light at 40 percent.');
    expect(JSON.parse(reply.published[0]!.payload)).toEqual({ request_id: 'r2', service: 'turn_on', data: { brightness_pct: 40 } });
    expect(planner.inputs[0]).toMatchObject({ id: 'r2', text: 'brighter please', area_id: 'kitchen', conversation_id: 'c9' });
  });

  it('answers every kind of bad input with its error code, acts on none, and keeps serving', async () => {
    const { probe } = await setUp();
    const cases: Array<[payload: string | object, id: string, code: string, topic: string]> = [
      ['not json at all', 'unknown', 'HESTIA_BAD_REQUEST', 'hestia/reply/default'],
      [[1, 2, 3], 'unknown', 'HESTIA_BAD_REQUEST', 'hestia/reply/default'],
      [{ text: 'turn on the kitchen ceiling light' }, 'unknown', 'HESTIA_BAD_REQUEST', 'hestia/reply/default'],
      [{ id: 'b1', text: 42, site: 'hall' }, 'b1', 'HESTIA_BAD_REQUEST', 'hestia/reply/hall'],
      [{ id: 'b2' }, 'b2', 'HESTIA_BAD_REQUEST', 'hestia/reply/default'],
      [{ id: 'b3', text: '   ' }, 'b3', 'HESTIA_BAD_REQUEST', 'hestia/reply/default'],
      [{ id: 'b4', text: 'turn on the kitchen ceiling light', site: 7 }, 'b4', 'HESTIA_BAD_REQUEST', 'hestia/reply/default'],
      [{ id: 'b5', text: 'turn on the kitchen ceiling light', area_id: 'attic' }, 'b5', 'HESTIA_BAD_REQUEST', 'hestia/reply/default'],
      [{ id: 'b6', text: 'turn on the kitchen ceiling light '.repeat(40) }, 'b6', 'HESTIA_TEXT_TOO_LONG', 'hestia/reply/default'],
      [{ id: 'b7', text: 'x'.repeat(17_000) }, 'unknown', 'HESTIA_PAYLOAD_TOO_LARGE', 'hestia/reply/default'],
    ];
    for (const [payload] of cases) await probe.publish('hestia/request', payload);
    for (const [payload, id, code, topic] of cases) {
      const reply = await probe.waitFor(
        (m) => m.topic === topic && (JSON.parse(m.payload) as { id: string; error?: { code: string } }).id === id && (JSON.parse(m.payload) as { error?: { code: string } }).error?.code === code,
        5000,
        `${code} reply for ${JSON.stringify(payload).slice(0, 60)}`,
      );
      const parsed = JSON.parse(reply.payload) as Record<string, unknown>;
      expect(parsed).toMatchObject({ status: 'error', actions: [], published: [] });
      expect(validatePlan(planOf(parsed)), JSON.stringify(validatePlan.errors)).toBe(true);
    }
    // Still alive and serving: a good request after all that is executed normally.
    await probe.publish('hestia/request', { id: 'good', text: 'turn on the kitchen ceiling light' });
    expect((await probe.reply<{ status: string }>('good')).status).toBe('ok');
    const commands = probe.on('hestia/command/');
    expect(commands.map((m) => (JSON.parse(m.payload) as { request_id: string }).request_id)).toEqual(['good']);
    expect(running?.logs.text).toContain('HESTIA_PAYLOAD_TOO_LARGE');
  });

  it('answers a repeated id with the first reply and executes once, also while the first is still planning', async () => {
    const planner = new FixedPlanner({ actions: [{ domain: 'light', service: 'turn_off', entity_ids: ['light.kitchen_ceiling'], data: {} }] }, 300);
    const { probe } = await setUp({ planners: [planner] });
    await probe.publish('hestia/request', { id: 'dup', text: 'lights off', site: 'a' });
    await probe.publish('hestia/request', { id: 'dup', text: 'lights off', site: 'b' });
    const [a, b] = await Promise.all([
      probe.waitFor((m) => m.topic === 'hestia/reply/a'),
      probe.waitFor((m) => m.topic === 'hestia/reply/b'),
    ]);
    expect(a.payload).toBe(b.payload);
    // A third copy after the first finished: same reply again, still one execution.
    await probe.publish('hestia/request', { id: 'dup', text: 'lights off', site: 'c' });
    const c = await probe.waitFor((m) => m.topic === 'hestia/reply/c');
    expect(c.payload).toBe(a.payload);
    expect(planner.calls).toBe(1);
    expect(probe.on('hestia/command/')).toHaveLength(1);
  });

  it('executes nothing for a plan that is not ok', async () => {
    const { probe } = await setUp();
    await probe.publish('hestia/request', { id: 'n1', text: 'sing me a song about the moon' });
    const reply = await probe.reply<{ status: string; published: unknown[] }>('n1');
    expect(reply.status).toBe('no_match');
    expect(reply.published).toEqual([]);
    expect(probe.on('hestia/command/')).toEqual([]);
  });

  it('replies timeout and executes nothing when planning outlives the deadline', async () => {
    const planner = new FixedPlanner({ actions: [{ domain: 'light', service: 'turn_on', entity_ids: ['light.kitchen_ceiling'], data: {} }] }, 800);
    const { probe } = await setUp({ planners: [planner], config: { requests: { default_deadline_ms: 200 } } });
    const sent = Date.now();
    await probe.publish('hestia/request', { id: 't1', text: 'turn on the light' });
    const reply = await probe.reply<{ status: string; error: { code: string }; published: unknown[] }>('t1');
    expect(Date.now() - sent).toBeLessThan(700);
    expect(reply.status).toBe('timeout');
    expect(reply.error.code).toBe('HESTIA_TIMEOUT');
    await new Promise((r) => setTimeout(r, 800));
    expect(probe.on('hestia/command/')).toEqual([]);
  });

  it('announces online (retained) and, on stop, answers in-flight requests, refuses new ones, then says offline', async () => {
    const planner = new FixedPlanner({ actions: [{ domain: 'light', service: 'turn_on', entity_ids: ['light.kitchen_ceiling'], data: {} }] }, 400);
    const { running, probe } = await setUp({ planners: [planner] });
    const online = await probe.waitFor((m) => m.topic === 'hestia/status');
    expect(online).toMatchObject({ payload: 'online', retain: true });
    await probe.publish('hestia/request', { id: 's1', text: 'turn on the light' });
    await new Promise((r) => setTimeout(r, 100));
    const stopping = running.daemon.stop();
    await probe.publish('hestia/request', { id: 's2', text: 'turn on the light' });
    const late = await probe.reply<{ status: string; error: { code: string } }>('s2');
    expect(late.status).toBe('busy');
    expect(late.error.code).toBe('HESTIA_BUSY');
    const first = await probe.reply<{ status: string }>('s1');
    expect(first.status).toBe('ok');
    await probe.waitFor((m) => m.topic === 'hestia/status' && m.payload === 'offline');
    await stopping;
    await running.daemon.stop(); // safe twice
    expect(planner.calls).toBe(1);
  });
});

describe('daemon: conversations', () => {
  it('reads "turn it off" as the device the same conversation just turned on', async () => {
    const { probe } = await setUp();
    await probe.publish('hestia/request', { id: 'c-1', text: 'turn on the porch light', conversation_id: 'talk-1' });
    expect((await probe.reply<{ status: string }>('c-1')).status).toBe('ok');
    await probe.publish('hestia/request', { id: 'c-2', text: 'turn it off', conversation_id: 'talk-1' });
    const reply = await probe.reply<{ status: string; actions: unknown[] }>('c-2');
    expect(reply.status).toBe('ok');
    expect(reply.actions).toEqual([{ domain: 'light', service: 'turn_off', entity_ids: ['light.porch'], data: {} }]);
    await probe.publish('hestia/request', { id: 'c-3', text: 'turn it off', conversation_id: 'talk-2' });
    expect((await probe.reply<{ status: string }>('c-3')).status).toBe('no_match');
  });
});
