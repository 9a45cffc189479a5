// `hestia run` in-process, as the entry file runs it: starts from a configuration file with its own
// broker, serves requests, logs JSON to stdout, and stops cleanly (exit 0) when its signal aborts.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/commands/run.js';
import { say } from '../src/cli/commands/say.js';
import { fileURLToPath } from 'node:url';
import { fakeIo } from './support/fake-io.js';
import { haHomeFrom } from './support/ha-home.js';
import { HomeAssistantTestServer } from './support/ha-server.js';

async function until(check: () => boolean, timeoutMs = 8000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('hestia run', () => {
  it('runs until its signal aborts, serving requests over the embedded broker, then exits 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hestia-run-'));
    const file = join(dir, 'hestia.yaml');
    await writeFile(file, ['embedded_broker:', '  port: 0', 'mqtt:', '  client_id: hestia-run-test', 'model:', '  enabled: false', 'audit:', `  file: ${join(dir, 'audit.jsonl')}`, ''].join('\n'));
    const stop = new AbortController();
    const io = fakeIo(['--config', file, '--topic-prefix', 'home1', '--log-level', 'info'], {}, stop.signal);
    const exit = run(io);
    await until(() => io.out().includes('Hestia is running') || io.err() !== '');
    expect(io.err()).toBe('');
    const lines = io
      .out()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { msg: string; url?: string; level: string });
    const url = lines.find((l) => l.msg === 'embedded MQTT broker listening')?.url;
    expect(url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);

    const ask = fakeIo(['turn on the kitchen ceiling light', '--mqtt-url', url!, '--topic-prefix', 'home1']);
    expect(await say(ask)).toBe(0);
    expect(ask.out()).toContain('published:  home1/command/light/kitchen_ceiling');

    stop.abort(new Error('received SIGTERM'));
    expect(await exit).toBe(0);
    const after = io.out();
    expect(after).toContain('"msg":"stopped"');
    expect(after).toContain('"msg":"request answered"');
  });

  it('reads the home from Home Assistant with --ha-url and answers its automations', async () => {
    const server = await HomeAssistantTestServer.start(haHomeFrom(fileURLToPath(new URL('./eval/homes/townhouse.json', import.meta.url))), { token: 'cli-token' });
    const dir = await mkdtemp(join(tmpdir(), 'hestia-run-ha-'));
    const file = join(dir, 'hestia.yaml');
    await writeFile(file, ['embedded_broker:', '  port: 0', 'model:', '  enabled: false', 'audit:', `  file: ${join(dir, 'audit.jsonl')}`, ''].join('\n'));
    const tokenFile = join(dir, 'token');
    await writeFile(tokenFile, 'cli-token\n');
    const stop = new AbortController();
    const io = fakeIo(['--config', file, '--ha-url', server.url, '--ha-token-file', tokenFile], {}, stop.signal);
    const exit = run(io);
    try {
      await until(() => io.out().includes('Hestia is running') || io.err() !== '');
      expect(io.err()).toBe('');
      expect(io.out()).toContain('"msg":"Home Assistant connected"');
      expect(io.out()).toContain('"entities":133');
      // The token never reaches the log.
      expect(io.out()).not.toContain('cli-token');
      server.fireEvent('hestia_request', { text: 'switch off the utility light', id: 'cli-1' });
      await until(() => server.firedEvents.some((e) => e.event_type === 'hestia_response'));
      expect(server.firedEvents.find((e) => e.event_type === 'hestia_response')?.event_data).toMatchObject({ id: 'cli-1', status: 'ok' });
      expect(server.calls).toEqual([expect.objectContaining({ domain: 'light', service: 'turn_off' })]);
    } finally {
      stop.abort(new Error('received SIGTERM'));
      expect(await exit).toBe(0);
      await server.stop();
    }
  });
});
