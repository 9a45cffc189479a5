// Configuration: defaults that work with no file, a file that flags override, every problem
// reported at once with its path, secrets only from the environment or a file, and `hestia run`
// refusing to start on any of it.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/commands/run.js';
import { buildConfig, loadConfig } from '../src/config/load-config.js';
import { packageRoot } from '../src/config/package-root.js';
import { HestiaError } from '../src/errors.js';
import { fakeIo } from './support/fake-io.js';

async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hestia-config-'));
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

async function problemsOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => {
      throw new Error('expected the configuration to be refused');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HestiaError);
  expect((err as HestiaError).code).toBe('HESTIA_BAD_CONFIG');
  return (err as HestiaError).message;
}

describe('configuration', () => {
  it('works with no file: embedded broker on 127.0.0.1:1883, the demo home found from the package, MQTT 3.1.1, frozen', async () => {
    const config = await loadConfig({ cwd: tmpdir() });
    expect(config.mqtt).toMatchObject({ url: '', embedded: true, protocol_version: 4, topic_prefix: 'hestia', clean_session: false });
    expect(config.embedded_broker).toEqual({ host: '127.0.0.1', port: 1883 });
    expect(config.home.file).toBe(join(packageRoot(), 'config', 'demo-home.json'));
    expect(config.requests).toEqual({ max_text_length: 1000, max_payload_bytes: 16384, dedupe_window_s: 300, default_deadline_ms: 15000 });
    expect(Object.isFrozen(config) && Object.isFrozen(config.mqtt) && Object.isFrozen(config.execution.commands)).toBe(true);
    expect(() => {
      (config.mqtt as { topic_prefix: string }).topic_prefix = 'x';
    }).toThrow(TypeError);
  });

  it('reads YAML, resolves its paths against the file, and lets flags win over it', async () => {
    const file = await tempFile(
      'hestia.yaml',
      ['mqtt:', '  url: mqtt://broker.lan:1883', '  topic_prefix: house', 'home:', '  file: homes/flat.json', 'log:', '  level: warn', ''].join('\n'),
    );
    const fromFile = await loadConfig({ file });
    expect(fromFile.mqtt).toMatchObject({ url: 'mqtt://broker.lan:1883', embedded: false, protocol_version: 5, topic_prefix: 'house' });
    expect(fromFile.home.file).toBe(join(file, '..', 'homes', 'flat.json'));
    expect(fromFile.log.level).toBe('warn');

    const flagged = await loadConfig({
      file,
      cwd: '/srv',
      overrides: { mqttUrl: 'ws://other:9001', topicPrefix: 'h2', home: 'demo.json', logLevel: 'debug', noModel: true },
    });
    expect(flagged.mqtt).toMatchObject({ url: 'ws://other:9001', topic_prefix: 'h2' });
    expect(flagged.home.file).toBe('/srv/demo.json');
    expect(flagged.log.level).toBe('debug');
    expect(flagged.model.enabled).toBe(false);
  });

  it('reports every problem at once, each with its path and what was expected', async () => {
    const file = await tempFile(
      'bad.yaml',
      [
        'mqtt:',
        '  url: http://broker',
        '  keepalive_s: soon',
        '  tpoic_prefix: house',
        'requests:',
        '  max_text_length: -5',
        'sites:',
        '  hall-satellite: Hall',
        'execution:',
        '  commands:',
        '    - topic: x/{entity_id}',
        'log:',
        '  level: loud',
        '',
      ].join('\n'),
    );
    const message = await problemsOf(loadConfig({ file }));
    expect(message).toContain(`invalid configuration in ${file}`);
    expect(message).toContain('mqtt.url: must be empty (embedded broker) or a mqtt://');
    expect(message).toContain('mqtt.keepalive_s: must be integer (got "soon")');
    expect(message).toContain('mqtt.tpoic_prefix: unknown option (did you mean topic_prefix?)');
    expect(message).toContain('requests.max_text_length: must be >= 1 (got -5)');
    expect(message).toContain('sites.hall-satellite: must be an area id');
    expect(message).toContain("execution.commands[0]: must have required property 'match'");
    expect(message).toContain('log.level: must be one of "fatal", "error", "warn", "info", "debug", "trace", "silent" (got "loud")');
    expect(message.split('\n')).toHaveLength(8); // the heading and the seven problems
  });

  it('says which flag a bad value came from, and refuses MQTT 5 with the embedded broker', async () => {
    expect(await problemsOf(buildConfig({}, { overrides: { logLevel: 'chatty' } }))).toContain('log.level (from --log-level): must be one of');
    expect(await problemsOf(buildConfig({ mqtt: { protocol_version: 5 } }))).toContain('mqtt.protocol_version: must be 4 with the embedded broker');
    expect(await problemsOf(buildConfig({ mqtt: { protocol_version: 3 } }))).toContain('mqtt.protocol_version: must be one of 4, 5');
  });

  it('refuses files that are not YAML, and unreadable files, with HESTIA_BAD_CONFIG', async () => {
    expect(await problemsOf(loadConfig({ file: await tempFile('broken.yaml', 'mqtt: [unclosed\n') }))).toMatch(/not valid YAML or JSON/);
    expect(await problemsOf(loadConfig({ file: '/nonexistent/hestia.yaml' }))).toMatch(/cannot read configuration file/);
  });

  it('validates command templates: unknown placeholders and wildcards in topics are configuration errors', async () => {
    const { MqttExecutor } = await import('../src/execution/mqtt-executor.js');
    const config = await buildConfig({
      execution: { commands: [{ match: 'light.*', topic: 'z2m/{nmae}/set' }, { match: 'switch.*', topic: 'cmnd/+/POWER', payload: '{service|shout}' }] },
    });
    const message = await problemsOf(
      Promise.resolve().then(
        () => new MqttExecutor({ rules: config.execution.commands, topicPrefix: 'hestia', catalog: undefined as never, publisher: undefined as never }),
      ),
    );
    expect(message).toContain('execution.commands[0].topic: unknown placeholder {nmae}');
    expect(message).toContain('execution.commands[1].topic: must not contain MQTT wildcards');
    expect(message).toContain('execution.commands[1].payload: unknown filter "shout"');
  });
});

describe('secrets', () => {
  it('takes the MQTT password from HESTIA_MQTT_PASSWORD, else from password_file; username from the environment too', async () => {
    const fromEnv = await buildConfig({ mqtt: { url: 'mqtt://b', username: 'cfg-user' } }, { env: { HESTIA_MQTT_PASSWORD: 'env-pw', HESTIA_MQTT_USERNAME: 'env-user' } });
    expect(fromEnv.mqtt).toMatchObject({ password: 'env-pw', username: 'env-user' });
    const pwFile = await tempFile('mqtt.pw', 'file-pw\n');
    const cfgFile = await tempFile('hestia.yaml', `mqtt:\n  url: mqtt://b\n  username: u\n  password_file: ${pwFile}\n`);
    expect((await loadConfig({ file: cfgFile, env: {} })).mqtt).toMatchObject({ password: 'file-pw', username: 'u' });
    expect(await problemsOf(buildConfig({ mqtt: { password_file: '/nonexistent/pw' } }))).toContain('mqtt.password_file: cannot read');
  });

  it('never takes a password from the configuration text, the URL or the command line', async () => {
    expect(await problemsOf(buildConfig({ mqtt: { password: 'x' } }))).toContain('mqtt.password: unknown option (a password never goes in the configuration');
    expect(await problemsOf(buildConfig({}, { overrides: { mqttUrl: 'mqtt://me:secret@broker' } }))).toContain(
      'mqtt.url: must not contain a password (from --mqtt-url)',
    );
    const io = fakeIo(['--mqtt-password', 'hunter2']);
    expect(await run(io)).toBe(2);
    expect(io.err()).toContain('--mqtt-password is not accepted');
    expect(io.err()).toContain('HESTIA_MQTT_PASSWORD');
  });
});

describe('hestia run refuses to start', () => {
  it('on an invalid configuration file, exiting 78 with the problems', async () => {
    const file = await tempFile('bad.yaml', 'requests:\n  dedupe_window_s: forever\n');
    const io = fakeIo(['--config', file]);
    expect(await run(io)).toBe(78);
    expect(io.err()).toContain('HESTIA_BAD_CONFIG');
    expect(io.err()).toContain('requests.dedupe_window_s: must be number (got "forever")');
  });

  it('when the model asked for is not there, saying where to put it (HESTIA_MODEL_UNAVAILABLE)', async () => {
    const io = fakeIo(['--model', '/models/deepseek-r1-distill-qwen-1.5b.gguf']);
    expect(await run(io)).toBe(78);
    expect(io.err()).toContain('HESTIA_MODEL_UNAVAILABLE');
    expect(io.err()).toContain('no model file at /models/deepseek-r1-distill-qwen-1.5b.gguf');
    expect(io.err()).toMatch(/model\.path \(or --model\)/);
  });

  it('on a missing home file (HESTIA_BAD_HOME), and on unknown flags (usage, exit 2)', async () => {
    const io = fakeIo(['--home', '/nonexistent/home.json']);
    expect(await run(io)).toBe(78);
    expect(io.err()).toContain('HESTIA_BAD_HOME');
    const usage = fakeIo(['--colour', 'blue']);
    expect(await run(usage)).toBe(2);
    expect(usage.err()).toContain('usage: hestia run');
  });
});

describe('config/hestia.example.yaml', () => {
  it('is valid, and the defaults it shows are the defaults Hestia uses', async () => {
    const example = await loadConfig({ file: join(packageRoot(), 'config', 'hestia.example.yaml'), cwd: tmpdir() });
    const defaults = await loadConfig({ cwd: tmpdir() });
    expect({ ...example, source: null }).toEqual(defaults);
  });

  it('has command examples that compile and render as documented', async () => {
    const { readFile } = await import('node:fs/promises');
    const { parse } = await import('yaml');
    const { compileRules } = await import('../src/execution/command-template.js');
    const text = await readFile(join(packageRoot(), 'config', 'hestia.example.yaml'), 'utf8');
    // The commented-out rules under `commands: []`, uncommented.
    const block = text.split('  commands: []\n')[1]!.split('\n\n')[0]!;
    const rules = parse(block.split('\n').map((l) => l.replace(/^ {2}# {2}/, '')).join('\n')) as Parameters<typeof compileRules>[0];
    expect(rules).toHaveLength(4);
    const compiled = compileRules(rules);
    const ctx = { prefix: 'hestia', domain: 'switch', object_id: 'kettle', entity_id: 'switch.kettle', service: 'turn_off', name: 'Kettle', area_id: 'kitchen', request_id: 'r', data: {} };
    expect(compiled.find((r) => r.matches(ctx.entity_id, ctx.service))!.render(ctx)).toMatchObject({ topic: 'cmnd/kettle/POWER', payload: 'OFF' });
  });
});
