// `hestia say` end to end against a running daemon: the 3.1.1 fallback on the embedded broker,
// MQTT 5 response topics on Mosquitto, the printed reply, and the exit codes.
import { afterEach, describe, expect, it } from 'vitest';
import { say } from '../src/cli/commands/say.js';
import { createLogger } from '../src/log/logger.js';
import { EmbeddedBroker } from '../src/mqtt/embedded-broker.js';
import { startDaemon, type Running } from './support/daemon-harness.js';
import { fakeIo } from './support/fake-io.js';
import { Mosquitto } from './support/mosquitto.js';
import { Probe } from './support/mqtt-probe.js';
import { freePort } from './support/ports.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});
async function daemon(options: Parameters<typeof startDaemon>[0] = {}): Promise<Running> {
  const r = await startDaemon(options);
  cleanup.push(() => r.daemon.stop());
  return r;
}

describe('hestia say', () => {
  it('asks the daemon on the embedded (3.1.1) broker and prints what it said and did; exit 0', async () => {
    const r = await daemon();
    const io = fakeIo(['turn', 'on', 'the', 'kitchen ceiling light', '--mqtt-url', r.url, '--site', 'kitchen']);
    expect(await say(io)).toBe(0);
    const out = io.out();
    expect(out.split('\n')[0]).toBe('Turning on Kitchen Ceiling Light.');
    expect(out).toMatch(/status: +ok \(fast path\)/);
    expect(out).toMatch(/action: +light\.turn_on light\.kitchen_ceiling/);
    expect(out).toMatch(/published: +hestia\/command\/light\/kitchen_ceiling \{"request_id":"cli-[0-9a-f-]+","service":"turn_on","data":\{\}\}/);
    expect(io.err()).toBe('');
  });

  it('uses an MQTT 5 response topic with a v5 broker and prints the raw reply with --json', async () => {
    const m = await Mosquitto.start();
    cleanup.push(() => m.dispose());
    const r = await daemon({ url: m.url });
    const watcher = await Probe.connect(m.url, { protocolVersion: 5 });
    cleanup.push(() => watcher.close());
    await watcher.subscribe('hestia/reply/#');
    const io = fakeIo(['turn on the kitchen ceiling light', '--json', '--mqtt-url', r.url]);
    const code = await say(io);
    const reply = JSON.parse(io.out()) as { id: string; status: string };
    const seen = await watcher.waitFor((x) => x.payload.includes(reply.id));
    expect(seen.topic).toMatch(/^hestia\/reply\/cli-[0-9a-f-]+$/);
    expect(seen.correlationData).toBe(reply.id);
    expect(code).toBe(0);
    expect(reply).toMatchObject({ status: 'ok', actions: [{ domain: 'light', service: 'turn_on', entity_ids: ['light.kitchen_ceiling'] }] });
  });

  it('exits 1 when Hestia answers with anything but ok', async () => {
    const r = await daemon();
    const io = fakeIo(['recite a poem about teapots', '--mqtt-url', r.url]);
    expect(await say(io)).toBe(1);
    expect(io.out()).toMatch(/status: +no_match/);
  });

  it('exits 3 with a clear message when no broker listens', async () => {
    const io = fakeIo(['turn on the kitchen ceiling light', '--mqtt-url', `mqtt://127.0.0.1:${await freePort()}`, '--timeout-ms', '2000']);
    expect(await say(io)).toBe(3);
    expect(io.err()).toMatch(/HESTIA_BROKER_UNREACHABLE: cannot connect to the MQTT broker at mqtt:\/\/127\.0\.0\.1:\d+/);
  });

  it('exits 3 saying no Hestia is there when the broker answers but no daemon does', async () => {
    const broker = new EmbeddedBroker({ host: '127.0.0.1', port: 0, log: createLogger({ level: 'silent' }) });
    await broker.start();
    cleanup.push(() => broker.stop());
    const io = fakeIo(['turn on the kitchen ceiling light', '--mqtt-url', broker.url, '--timeout-ms', '400']);
    expect(await say(io)).toBe(3);
    expect(io.err()).toContain('HESTIA_TIMEOUT: no reply within 400 ms (no Hestia has announced itself on this broker and prefix)');
  });

  it('exits 2 on bad usage: no text, a password flag, a bad timeout', async () => {
    const none = fakeIo(['--site', 'kitchen']);
    expect(await say(none)).toBe(2);
    expect(none.err()).toContain('what should Hestia do?');
    const pw = fakeIo(['hello', '--mqtt-password=x']);
    expect(await say(pw)).toBe(2);
    expect(pw.err()).toContain('is not accepted');
    expect(await say(fakeIo(['hello', '--timeout-ms', 'soon']))).toBe(2);
  });
});
