// Hestia against a real Mosquitto: MQTT 5 response topics and correlation data, the 3.1.1 fallback,
// retained status and the Last Will, reconnection, persistent sessions across broker and daemon
// restarts, and a broker that refuses a command.
import { createServer, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import { afterEach, describe, expect, it } from 'vitest';
import { Mosquitto } from './support/mosquitto.js';
import { Probe } from './support/mqtt-probe.js';
import { startDaemon, type Running } from './support/daemon-harness.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { FixedPlanner, kitchenLightOn } from './support/planners.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function broker(options: Parameters<typeof Mosquitto.start>[0] = {}): Promise<Mosquitto> {
  const m = await Mosquitto.start(options);
  cleanup.push(() => m.dispose());
  return m;
}
async function daemon(options: Parameters<typeof startDaemon>[0]): Promise<Running> {
  const r = await startDaemon(options);
  cleanup.push(() => r.daemon.stop());
  return r;
}
async function probe(url: string, protocolVersion: 4 | 5 = 5): Promise<Probe> {
  const p = await Probe.connect(url, { protocolVersion });
  cleanup.push(() => p.close());
  return p;
}

describe('Hestia on Mosquitto', () => {
  it('replies to the MQTT 5 response topic with the correlation data, and nowhere else', async () => {
    const m = await broker();
    const r = await daemon({ url: m.url });
    expect(r.config.mqtt.protocol_version).toBe(5);
    const p = await probe(m.url, 5);
    await p.subscribe('bridge/replies/42', 'hestia/reply/+');
    await p.publish('hestia/request', { id: 'v5-1', text: 'turn on the kitchen ceiling light', site: 'kitchen' }, {
      properties: { responseTopic: 'bridge/replies/42', correlationData: Buffer.from('corr-abc') },
    });
    const reply = await p.waitFor((x) => x.topic === 'bridge/replies/42');
    expect(reply.correlationData).toBe('corr-abc');
    expect(JSON.parse(reply.payload)).toMatchObject({ id: 'v5-1', status: 'ok', actions: [{ entity_ids: ['light.kitchen_ceiling'] }] });
    // Bad input with a response topic: answered there too, with id "unknown".
    await p.publish('hestia/request', '{"id": ', { properties: { responseTopic: 'bridge/replies/42', correlationData: Buffer.from('corr-bad') } });
    const bad = await p.waitFor((x) => x.correlationData === 'corr-bad');
    expect(JSON.parse(bad.payload)).toMatchObject({ id: 'unknown', status: 'error', error: { code: 'HESTIA_BAD_REQUEST' } });
    expect(p.on('hestia/reply/')).toEqual([]);
  });

  it('answers a 3.1.1 client (no response topic) on <prefix>/reply/<site>', async () => {
    const m = await broker();
    await daemon({ url: m.url, planners: [kitchenLightOn()] });
    const p = await probe(m.url, 4);
    await p.subscribe('hestia/reply/+');
    await p.publish('hestia/request', { id: 'v4-1', text: 'kitchen light please', site: 'hallway-panel' });
    expect((await p.reply<{ status: string }>('v4-1')).topic).toBe('hestia/reply/hallway-panel');
  });

  it('keeps status retained: online, offline by Last Will when the connection dies, online again after reconnecting', async () => {
    const m = await broker();
    const proxy = await TcpProxy.start(m.port);
    cleanup.push(() => proxy.close());
    await daemon({ url: proxy.url, planners: [kitchenLightOn()] });
    const watcher = await probe(m.url);
    await watcher.subscribe('hestia/status');
    expect(await watcher.waitFor((x) => x.topic === 'hestia/status')).toMatchObject({ payload: 'online', retain: true });

    proxy.cut(true); // the network dies under the daemon: no DISCONNECT reaches Mosquitto
    await watcher.waitFor((x) => x.topic === 'hestia/status' && x.payload === 'offline', 5000, 'Last Will');
    const late = await probe(m.url);
    await late.subscribe('hestia/status');
    expect(await late.waitFor((x) => x.topic === 'hestia/status')).toMatchObject({ payload: 'offline', retain: true });

    // A request sent while Hestia is cut off waits in its persistent session...
    await late.subscribe('hestia/reply/+');
    await late.publish('hestia/request', { id: 'queued-1', text: 'kitchen light please' });
    await new Promise((r) => setTimeout(r, 300));
    expect(late.on('hestia/reply/')).toEqual([]);
    // ...and is answered once the network is back and Hestia has reconnected.
    proxy.heal();
    expect((await late.reply<{ status: string }>('queued-1', 8000)).status).toBe('ok');
    await late.waitFor((x) => x.topic === 'hestia/status' && x.payload === 'online');
  });

  it('answers a request sent while Mosquitto restarts, from the persisted session, after reconnecting', async () => {
    const m = await broker({ persistence: true });
    // A slow reconnect, so the request below is certainly published while Hestia is still away.
    const r = await daemon({ url: m.url, planners: [kitchenLightOn()], config: { mqtt: { reconnect_period_ms: 2000 } } });
    await m.restart();
    const p = await probe(m.url);
    await p.subscribe('hestia/reply/+');
    const sentAt = Date.now();
    await p.publish('hestia/request', { id: 'restart-1', text: 'kitchen light please' });
    expect((await p.reply<{ status: string }>('restart-1', 8000)).status).toBe('ok');
    const connects = r.logs.entries().filter((e) => e.msg === 'connected to MQTT broker');
    expect(connects).toHaveLength(2);
    expect(Date.parse(String(connects[1]!.time))).toBeGreaterThan(sentAt);
    expect(connects[1]!.session_present).toBe(true);
  });

  it('picks up a request sent while Hestia itself was stopped, when it starts again with the same client id', async () => {
    const m = await broker();
    const first = await daemon({ url: m.url, clientId: 'hestia-kitchen', planners: [kitchenLightOn()] });
    await first.daemon.stop();
    const p = await probe(m.url);
    await p.subscribe('hestia/reply/+');
    await p.publish('hestia/request', { id: 'while-down', text: 'kitchen light please' });
    await daemon({ url: m.url, clientId: 'hestia-kitchen', planners: [kitchenLightOn()] });
    expect((await p.reply<{ status: string }>('while-down')).status).toBe('ok');
  });

  it('reports a command the broker refused as not delivered, with status error, and lists only what was published', async () => {
    const m = await broker({ acl: ['topic readwrite hestia/#', 'topic read zigbee2mqtt/#'] });
    const planner = new FixedPlanner({
      actions: [
        { domain: 'light', service: 'turn_on', entity_ids: ['light.kitchen_ceiling'], data: {} },
        { domain: 'switch', service: 'turn_on', entity_ids: ['switch.coffee_maker'], data: {} },
      ],
    });
    await daemon({
      url: m.url,
      planners: [planner],
      config: { execution: { commands: [{ match: 'light.*', topic: 'zigbee2mqtt/{name}/set', payload: { state: 'ON' } }] } },
    });
    const p = await probe(m.url);
    await p.subscribe('hestia/reply/+', 'hestia/command/#', 'zigbee2mqtt/#');
    await p.publish('hestia/request', { id: 'acl-1', text: 'kitchen light and coffee' });
    const reply = await p.reply<{
      status: string;
      error: { code: string; message: string };
      published: Array<{ entity_id: string; topic: string }>;
      undelivered: Array<{ entity_id: string; topic: string; reason: string }>;
    }>('acl-1');
    expect(reply.status).toBe('error');
    expect(reply.error.code).toBe('HESTIA_EXECUTION_FAILED');
    expect(reply.error.message).toContain('light.kitchen_ceiling');
    expect(reply.published.map((x) => x.entity_id)).toEqual(['switch.coffee_maker']);
    expect(reply.undelivered).toEqual([
      { entity_id: 'light.kitchen_ceiling', domain: 'light', service: 'turn_on', topic: 'zigbee2mqtt/Kitchen Ceiling Light/set', reason: expect.stringMatching(/not authori[sz]ed/i) as unknown as string },
    ]);
    await p.waitFor((x) => x.topic === 'hestia/command/switch/coffee_maker');
    expect(p.on('zigbee2mqtt/')).toEqual([]);
  });

  it('refuses to start, saying why, when the broker will not let Hestia subscribe to requests', async () => {
    // Mosquitto's ACL file grants every subscription and filters on delivery, so this broker is an
    // aedes with a subscription hook that refuses the request topic (SUBACK 0x80).
    const refusing = await Aedes.createBroker({
      authorizeSubscribe: (_client, sub, done) => (sub.topic === 'hestia/request' ? done(null, null) : done(null, sub)),
    });
    const server = createServer(refusing.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(async () => {
      await new Promise<void>((r) => refusing.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    });
    const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await expect(startDaemon({ url, config: { mqtt: { protocol_version: 4 } } })).rejects.toThrow(
      "the broker refused Hestia's subscription to hestia/request",
    );
  });

  it('refuses to start, without retrying forever, when the broker rejects its login', async () => {
    const m = await broker({ users: { hestia: 'right-password' } });
    const started = startDaemon({ url: m.url, env: { HESTIA_MQTT_USERNAME: 'hestia', HESTIA_MQTT_PASSWORD: 'wrong-password' } });
    await expect(started).rejects.toThrow(/refused the login \(.*not authori[sz]ed.*\): check HESTIA_MQTT_USERNAME/i);
  });
});
