// Logging: JSON lines with structured fields, a request id on every line about a request, and
// secrets that never reach the log, even when a whole configuration is logged.
import { afterEach, describe, expect, it } from 'vitest';
import { buildConfig } from '../src/config/load-config.js';
import { createLogger, redactUrl, requestLogger } from '../src/log/logger.js';
import { LogCapture, startDaemon, type Running } from './support/daemon-harness.js';
import { Mosquitto } from './support/mosquitto.js';
import { Probe } from './support/mqtt-probe.js';

const SECRET = 'pw-7f3a-do-not-log';

describe('logger', () => {
  it('redacts passwords and tokens wherever Hestia logs them', async () => {
    const capture = new LogCapture();
    const log = createLogger({ level: 'debug', destination: capture });
    const config = await buildConfig({ mqtt: { url: 'mqtt://broker:1883', username: 'hestia' } }, { env: { HESTIA_MQTT_PASSWORD: SECRET } });
    expect(config.mqtt.password).toBe(SECRET);
    log.info({ config }, 'configuration');
    log.info({ mqtt: config.mqtt }, 'mqtt settings');
    log.info({ options: { password: SECRET, token: SECRET, nested: { access_token: SECRET } } }, 'options');
    log.info({ password: SECRET }, 'top level');
    expect(capture.lines).toHaveLength(4);
    expect(capture.text).not.toContain(SECRET);
    expect(capture.text).toContain('[redacted]');
    expect(capture.entries()[0]).toMatchObject({ level: 'info', msg: 'configuration', config: { mqtt: { username: 'hestia', password: '[redacted]' } } });
  });

  it('puts the request id on every line of a request logger, and strips user info from URLs', () => {
    const capture = new LogCapture();
    const log = requestLogger(createLogger({ level: 'info', destination: capture }), 'r-77', 'mqtt');
    log.info({ status: 'ok' }, 'request answered');
    expect(capture.entries()[0]).toMatchObject({ request_id: 'r-77', source: 'mqtt', status: 'ok', msg: 'request answered' });
    expect(redactUrl('mqtts://hestia:hunter2@broker.lan:8883')).toBe('mqtts://broker.lan:8883');
  });
});

describe('a daemon that logs in to its broker', () => {
  let m: Mosquitto | undefined;
  let r: Running | undefined;
  afterEach(async () => {
    await r?.daemon.stop();
    await m?.dispose();
  });

  it('uses the password from the environment and never writes it to its log, even at trace level', async () => {
    m = await Mosquitto.start({ users: { hestia: SECRET, bridge: 'bridge-pw' } });
    r = await startDaemon({ url: m.url, env: { HESTIA_MQTT_USERNAME: 'hestia', HESTIA_MQTT_PASSWORD: SECRET }, config: { log: { level: 'trace' } } });
    const p = await Probe.connect(m.url, { username: 'bridge', password: 'bridge-pw' });
    try {
      await p.subscribe('hestia/reply/+');
      await p.publish('hestia/request', { id: 'auth-1', text: 'turn on the kitchen ceiling light' });
      expect((await p.reply<{ status: string }>('auth-1')).status).toBe('ok');
    } finally {
      await p.close();
    }
    await r.daemon.stop();
    expect(r.logs.lines.length).toBeGreaterThan(5);
    expect(r.logs.text).not.toContain(SECRET);
    // Every line about the request carries its id.
    const about = r.logs.entries().filter((e) => e.request_id === 'auth-1').map((e) => e.msg);
    expect(about).toEqual(expect.arrayContaining(['request received', 'request answered']));
  });
});
