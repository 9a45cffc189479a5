// `hestia run` in-process, as the entry file runs it: starts from a configuration file with its own
// broker, serves requests, logs JSON to stdout, and stops cleanly (exit 0) when its signal aborts.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/commands/run.js';
import { say } from '../src/cli/commands/say.js';
import { fakeIo } from './support/fake-io.js';

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
    await writeFile(file, ['embedded_broker:', '  port: 0', 'mqtt:', '  client_id: hestia-run-test', ''].join('\n'));
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
});
