// Hestia and Home Assistant, through the real client library against the protocol-accurate test
// server playing a 133-entity home: the catalog from states, registries, services and exposure;
// live updates; requests fired by automations answered with an event; execution by call_service
// with its result and the state it implies; a server that goes away and comes back; a bad token.
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log/logger.js';
import { HomeAssistantLink } from '../src/homeassistant/home-assistant.js';
import { startDaemon, type Running, LogCapture } from './support/daemon-harness.js';
import { haHomeFrom } from './support/ha-home.js';
import { HomeAssistantTestServer } from './support/ha-server.js';
import { Probe } from './support/mqtt-probe.js';

const TOWNHOUSE = fileURLToPath(new URL('./eval/homes/townhouse.json', import.meta.url));

let server: HomeAssistantTestServer;
let running: Running | undefined;
let probe: Probe | undefined;
let link: HomeAssistantLink | undefined;

beforeEach(async () => {
  server = await HomeAssistantTestServer.start(haHomeFrom(TOWNHOUSE), { token: 'long-lived-token' });
});

afterEach(async () => {
  link?.stop();
  await probe?.close();
  await running?.daemon.stop();
  await server.stop();
  link = undefined;
  probe = undefined;
  running = undefined;
});

async function until(check: () => boolean, timeoutMs = 8000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function connect(token = 'long-lived-token'): HomeAssistantLink {
  link = new HomeAssistantLink({
    url: server.url,
    token,
    exposure: { mode: 'assistant', include: [], exclude: [] },
    requestEvent: 'hestia_request',
    connectTimeoutMs: 2000,
    log: createLogger({ level: 'silent', destination: new LogCapture() }),
  });
  return link;
}

async function withDaemon(config: Record<string, Record<string, unknown>> = {}): Promise<{ running: Running; probe: Probe }> {
  running = await startDaemon({ config: { homeassistant: { url: server.url, verify_ms: 500, ...config.homeassistant }, ...config }, env: { HESTIA_HA_TOKEN: 'long-lived-token' } });
  probe = await Probe.connect(running.url);
  await probe.subscribe('hestia/reply/+', 'hestia/command/#', 'hestia/status/#');
  return { running, probe };
}

interface Reply {
  id: string;
  status: string;
  speech: string;
  published: unknown[];
  called?: Array<{ domain: string; service: string; entity_ids: string[]; ok: boolean; error?: string; verified: Record<string, string> }>;
  error?: { code: string; message: string };
}

describe('the catalog from Home Assistant', () => {
  it('reads states, registries, devices, aliases, exposure and services', async () => {
    const catalog = await connect().start();
    expect(catalog.size).toBe(133);
    const kitchen = catalog.entity('light.kitchen_ceiling') ?? [...catalog.entities()].find((e) => e.domain === 'light' && e.area_id === 'kitchen');
    expect(kitchen?.area_id).toBe('kitchen');
    // Areas through devices: every third entity has none of its own in the registry.
    const viaDevice = haHomeFrom(TOWNHOUSE).entities.filter((e) => e.device_id);
    expect(viaDevice.length).toBeGreaterThan(30);
    for (const e of viaDevice) expect(catalog.entity(e.entity_id)?.area_id, e.entity_id).not.toBeNull();
    // Aliases come from get_entries; unexposed entities stay unexposed.
    const withAlias = haHomeFrom(TOWNHOUSE).entities.find((e) => (e.aliases ?? []).length > 0);
    expect(catalog.entity(withAlias?.entity_id ?? '')?.aliases).toEqual(withAlias?.aliases);
    expect(catalog.entity('switch.fridge')?.exposed).toBe(false);
    expect(catalog.area('kitchen')?.name).toBeDefined();
    expect([...catalog.floors()].length).toBe(4);
    // Services from their selectors, light.turn_on's collapsed section included.
    expect(Object.keys(catalog.service('light', 'turn_on')?.fields ?? {})).toEqual(expect.arrayContaining(['brightness_pct', 'color_temp_kelvin', 'transition']));
    expect(catalog.service('climate', 'set_temperature')?.fields['temperature']).toMatchObject({ minAttr: 'min_temp', maxAttr: 'max_temp', required: true });
    expect(server.received).toEqual(expect.arrayContaining(['get_states', 'get_services', 'config/entity_registry/get_entries', 'homeassistant/expose_entity/list']));
  });

  it('follows state changes one entity at a time and re-reads the registry when it changes', async () => {
    const catalog = await connect().start();
    const structure = catalog.structureVersion;
    server.setState('light.utility_room', 'on');
    await until(() => catalog.entity('light.utility_room')?.state === 'on', 3000, 'the state change');
    // A state change does not rebuild names, grammars or prompts.
    expect(catalog.structureVersion).toBe(structure);
    server.updateEntity('light.utility_room', { name: 'Laundry Light', aliases: ['washroom light'] });
    await until(() => catalog.entity('light.utility_room')?.name === 'Laundry Light', 3000, 'the rename');
    expect(catalog.entity('light.utility_room')?.aliases).toEqual(['washroom light']);
  });

  it('refuses a bad token at once with a clear error', async () => {
    await expect(connect('wrong').start()).rejects.toMatchObject({ code: 'HESTIA_BAD_CONFIG', message: expect.stringContaining('refused the access token') as string });
  });
});

describe('hestia run with Home Assistant', () => {
  it('answers a hestia_request event with a hestia_response event and acts through call_service', async () => {
    await withDaemon();
    server.fireEvent('hestia_request', { id: 'auto-1', text: 'turn on the utility light' });
    await until(() => server.firedEvents.some((e) => e.event_type === 'hestia_response'), 8000, 'hestia_response');
    const response = server.firedEvents.find((e) => e.event_type === 'hestia_response')?.event_data as unknown as Reply;
    expect(response).toMatchObject({ id: 'auto-1', status: 'ok', published: [] });
    expect(response.called).toEqual([expect.objectContaining({ domain: 'light', service: 'turn_on', entity_ids: ['light.utility_room'], ok: true, verified: { 'light.utility_room': 'confirmed' } })]);
    expect(server.calls).toEqual([{ domain: 'light', service: 'turn_on', service_data: {}, target: { entity_id: ['light.utility_room'] } }]);
    expect(server.state('light.utility_room')?.state).toBe('on');

    // Risky requests from automations are refused, and said so in the response — also when the
    // event claims to be something else.
    server.fireEvent('hestia_request', { id: 'auto-2', text: 'unlock the front door', source: 'voice' });
    await until(() => server.firedEvents.filter((e) => e.event_type === 'hestia_response').length === 2, 8000, 'second response');
    expect(server.firedEvents.at(-1)?.event_data).toMatchObject({ id: 'auto-2', status: 'rejected', error: { code: 'HESTIA_POLICY_DENIED' } });
    // A request without text is answered with an error, never acted on.
    server.fireEvent('hestia_request', { id: 'auto-3' });
    await until(() => server.firedEvents.filter((e) => e.event_type === 'hestia_response').length === 3, 8000, 'third response');
    expect(server.firedEvents.at(-1)?.event_data).toMatchObject({ id: 'auto-3', status: 'error', error: { code: 'HESTIA_BAD_REQUEST' } });
    expect(server.calls).toHaveLength(1);
  });

  it("reports Home Assistant's error and a device that did not respond, never as done", async () => {
    const { probe } = await withDaemon();
    server.failures.set('switch.turn_on', { code: 'home_assistant_error', message: 'Device is offline' });
    await probe.publish('hestia/request', { id: 'f1', text: 'turn on the kettle' });
    const failed = await probe.reply<Reply>('f1', 8000);
    expect(failed).toMatchObject({ status: 'error', error: { code: 'HESTIA_EXECUTION_FAILED' } });
    expect(failed.error?.message).toContain('Device is offline');
    expect(failed.called?.[0]).toMatchObject({ ok: false });

    server.unresponsive.add('light.utility_room');
    await probe.publish('hestia/request', { id: 'f2', text: 'turn on the utility light' });
    const silent = await probe.reply<Reply>('f2', 8000);
    expect(silent.status).toBe('ok');
    expect(silent.speech).toMatch(/did not respond\.$/);
    expect(silent.called?.[0]?.verified).toEqual({ 'light.utility_room': 'not_confirmed' });
    expect(probe.on('hestia/command/')).toEqual([]);
  });

  it('survives Home Assistant going away: clear errors meanwhile, re-read and working after it is back', async () => {
    const { probe, running } = await withDaemon();
    await probe.waitFor((m) => m.topic === 'hestia/status/homeassistant' && m.payload === 'connected');
    const reads = server.received.filter((t) => t === 'get_states').length;
    await server.stop();
    await until(() => running.logs.text.includes('Home Assistant disconnected'), 5000, 'the disconnect');
    await probe.waitFor((m) => m.topic === 'hestia/status/homeassistant' && m.payload === 'disconnected');
    await probe.publish('hestia/request', { id: 'd1', text: 'turn on the utility light' });
    const during = await probe.reply<Reply>('d1', 8000);
    expect(during).toMatchObject({ status: 'error', error: { code: 'HESTIA_EXECUTION_FAILED' } });
    expect(during.error?.message).toContain('Home Assistant is not connected');
    // The fast path still understands: the last catalog is still in use.
    await probe.publish('hestia/request', { id: 'd2', text: 'is the front door locked' });
    expect((await probe.reply<Reply>('d2', 8000)).status).toBe('ok');

    await server.restart();
    await until(() => server.received.filter((t) => t === 'get_states').length > reads, 10_000, 'the re-read after reconnecting');
    await probe.publish('hestia/request', { id: 'd3', text: 'turn on the utility light' });
    expect(await probe.reply<Reply>('d3', 8000)).toMatchObject({ status: 'ok' });
    expect(server.calls.map((c) => c.service)).toEqual(['turn_on']);
  }, 30_000);

  it('reports a call cut off by a dropped connection as not done, and works again after reconnecting', async () => {
    const { probe, running } = await withDaemon();
    const reads = server.received.filter((t) => t === 'get_states').length;
    server.dropOnNextCall = true;
    await probe.publish('hestia/request', { id: 'x1', text: 'turn on the utility light' });
    const cut = await probe.reply<Reply>('x1', 8000);
    expect(cut).toMatchObject({ status: 'error', error: { code: 'HESTIA_EXECUTION_FAILED' } });
    expect(cut.called?.[0]).toMatchObject({ ok: false });
    expect(server.state('light.utility_room')?.state).toBe('off');
    await until(() => server.received.filter((t) => t === 'get_states').length > reads && running.logs.text.includes('Home Assistant reconnected'), 10_000, 'the reconnect');
    await probe.publish('hestia/request', { id: 'x2', text: 'turn on the utility light' });
    expect(await probe.reply<Reply>('x2', 8000)).toMatchObject({ status: 'ok' });
    expect(server.state('light.utility_room')?.state).toBe('on');
  }, 30_000);

  it('stops at start on a refused token (exit code path), and sends commands over MQTT when routed there', async () => {
    await expect(startDaemon({ config: { homeassistant: { url: server.url } }, env: { HESTIA_HA_TOKEN: 'nope' } })).rejects.toMatchObject({ code: 'HESTIA_BAD_CONFIG' });
    const { probe } = await withDaemon({ execution: { via: 'ha', routes: [{ match: 'switch.*', via: 'mqtt' }] } });
    await probe.publish('hestia/request', { id: 'm1', text: 'turn on the kettle' });
    const reply = await probe.reply<Reply>('m1', 8000);
    expect(reply.status).toBe('ok');
    expect(reply.published).toHaveLength(1);
    expect(server.calls).toEqual([]);
  });
});
