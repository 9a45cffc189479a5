// `hestia doctor`: what Hestia would run with, checked one piece at a time — the configuration,
// the home (its file or Home Assistant), the MQTT broker and whether a Hestia answers on it, the
// model (file, llama.cpp backend, GPU or CPU, device memory, threads, load time, speed) and the
// audit folder. Nothing is downloaded, executed or changed.
import { access, constants, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { loadSnapshotFile } from '../../catalog/snapshot.js';
import { loadConfig, type ConfigOverrides, type HestiaConfig } from '../../config/load-config.js';
import { errorInfo } from '../../errors.js';
import { createLogger, redactUrl } from '../../log/logger.js';
import type { CliIo } from '../io.js';

type Verdict = 'ok' | 'warn' | 'fail' | 'skip';

interface Check {
  name: string;
  verdict: Verdict;
  detail: string;
  facts?: Record<string, unknown>;
}

const USAGE = `usage: hestia doctor [--config FILE] [--model FILE | --no-model] [--ha-url URL] [--json]

Checks what "hestia run" would use: the configuration, the home (file or Home Assistant), the
MQTT broker (and whether a Hestia answers there), the model on this machine (backend, GPU, memory,
threads, speed) and the audit folder. Exit status 0 when nothing failed, 1 otherwise, 2 for bad usage.
`;

const MARK: Record<Verdict, string> = { ok: '✓', warn: '!', fail: '✗', skip: '-' };

export async function doctor(io: CliIo): Promise<number> {
  let values: { config?: string; model?: string; 'no-model'?: boolean; 'ha-url'?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: io.argv,
      options: {
        config: { type: 'string', short: 'c' },
        model: { type: 'string' },
        'no-model': { type: 'boolean' },
        'ha-url': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    io.stderr.write(`hestia doctor: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const overrides: ConfigOverrides = {
    ...(values.model !== undefined ? { model: values.model } : {}),
    ...(values['no-model'] ? { noModel: true } : {}),
    ...(values['ha-url'] !== undefined ? { haUrl: values['ha-url'] } : {}),
  };
  const checks: Check[] = [{ name: 'node', verdict: 'ok', detail: `${process.version} on ${process.platform}/${process.arch}` }];
  let config: HestiaConfig | undefined;
  try {
    config = await loadConfig({ ...(values.config !== undefined ? { file: values.config } : {}), overrides, env: io.env });
    checks.push({ name: 'config', verdict: 'ok', detail: config.source ?? 'no file: embedded defaults' });
  } catch (err) {
    checks.push({ name: 'config', verdict: 'fail', detail: errorInfo(err).message });
  }
  if (config) {
    checks.push(await checkHome(config));
    checks.push(await checkBroker(config));
    checks.push(await checkModel(config, io));
    checks.push(await checkAudit(config));
  }
  if (values.json) io.stdout.write(`${JSON.stringify({ checks }, null, 2)}\n`);
  else io.stdout.write(`${checks.map((c) => `${MARK[c.verdict]} ${c.name.padEnd(7)} ${c.detail}`).join('\n')}\n`);
  return checks.some((c) => c.verdict === 'fail') ? 1 : 0;
}

async function checkHome(config: HestiaConfig): Promise<Check> {
  const ha = config.homeassistant;
  if (ha.url && ha.token) {
    const { HomeAssistantLink } = await import('../../homeassistant/home-assistant.js');
    const link = new HomeAssistantLink({
      url: ha.url,
      token: ha.token,
      exposure: { mode: ha.expose, include: ha.expose_include, exclude: ha.expose_exclude },
      requestEvent: ha.request_event,
      connectTimeoutMs: Math.min(ha.connect_timeout_ms, 5000),
      log: createLogger({ level: 'silent' }),
    });
    try {
      const catalog = await link.start(AbortSignal.timeout(8000));
      const exposed = [...catalog.entities()].filter((e) => e.exposed).length;
      return { name: 'home', verdict: 'ok', detail: `Home Assistant at ${redactUrl(ha.url)}: ${catalog.size} entities, ${exposed} exposed to Hestia`, facts: { entities: catalog.size, exposed } };
    } catch (err) {
      return { name: 'home', verdict: 'fail', detail: `Home Assistant at ${redactUrl(ha.url)}: ${errorInfo(err).message}` };
    } finally {
      link.stop();
    }
  }
  try {
    const catalog = await loadSnapshotFile(config.home.file);
    return { name: 'home', verdict: 'ok', detail: `${config.home.file}: ${catalog.size} entities`, facts: { entities: catalog.size } };
  } catch (err) {
    return { name: 'home', verdict: 'fail', detail: errorInfo(err).message };
  }
}

async function checkBroker(config: HestiaConfig): Promise<Check> {
  if (config.mqtt.embedded) {
    return { name: 'broker', verdict: 'ok', detail: `embedded broker on ${config.embedded_broker.host}:${config.embedded_broker.port} (started by hestia run)` };
  }
  const url = redactUrl(config.mqtt.url);
  const client = mqtt.connect(config.mqtt.url, {
    clientId: `hestia-doctor-${process.pid}`,
    reconnectPeriod: 0,
    connectTimeout: 4000,
    ...(config.mqtt.username !== undefined ? { username: config.mqtt.username } : {}),
    ...(config.mqtt.password !== undefined ? { password: config.mqtt.password } : {}),
  });
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
      client.once('close', () => reject(new Error('connection closed')));
    });
    // The retained status tells whether a Hestia daemon is there.
    const statusTopic = `${config.mqtt.topic_prefix}/status`;
    const status = await new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 1000);
      client.on('message', (topic, payload) => {
        if (topic === statusTopic) {
          clearTimeout(timer);
          resolve(payload.toString());
        }
      });
      client.subscribe(statusTopic);
    });
    const daemon = status === 'online' ? 'a Hestia is online' : status === 'offline' ? 'Hestia is offline (stopped)' : 'no Hestia has run here yet';
    return { name: 'broker', verdict: 'ok', detail: `${url}: reachable; ${daemon}`, facts: { hestia: status } };
  } catch (err) {
    return { name: 'broker', verdict: 'fail', detail: `${url}: ${(err as Error).message}` };
  } finally {
    await client.endAsync(true);
  }
}

async function checkModel(config: HestiaConfig, io: CliIo): Promise<Check> {
  if (!config.model.enabled) return { name: 'model', verdict: 'skip', detail: 'disabled (fast path only)' };
  const { DEFAULT_MODEL_URI, defaultCacheDir, loadModelRuntime } = await import('../../model/load-model.js');
  const { getLlamaGpuTypes } = await import('node-llama-cpp');
  const supported = (await getLlamaGpuTypes('supported').catch(() => [])).filter((g): g is Exclude<typeof g, false> => g !== false);
  const cacheDir = config.model.cache_dir ?? defaultCacheDir(io.env);
  const log = createLogger({ level: 'silent' });
  try {
    // download: false — the doctor looks, it does not fetch a gigabyte.
    const runtime = await loadModelRuntime(
      { source: config.model.path ?? DEFAULT_MODEL_URI, gpu: config.model.gpu, ...(config.model.threads !== undefined ? { threads: config.model.threads } : {}), contextSize: 2048, cacheDir, download: false },
      log,
    );
    try {
      const { model, sequence, info } = runtime;
      const tokens = model.tokenize('Hestia checks how fast this machine evaluates a short prompt for the model planner.');
      const t0 = performance.now();
      await sequence.evaluateWithoutGeneratingNewTokens(tokens);
      const prefillMs = performance.now() - t0;
      let generated = 0;
      const t1 = performance.now();
      for await (const _token of sequence.evaluate(tokens.slice(-1), { temperature: 0 })) {
        if ((generated += 1) >= 8) break;
      }
      const perToken = (performance.now() - t1) / generated;
      const gpu = info.backend === 'cpu' ? `CPU, ${info.threads} threads` : `${info.backend}, ${info.gpu_layers} layers on the GPU, ${info.vram_used_mb ?? '?'} of ${info.vram_total_mb ?? '?'} MB in use`;
      const verdict: Verdict = config.model.gpu === 'cuda' && info.backend !== 'cuda' ? 'warn' : 'ok';
      return {
        name: 'model',
        verdict,
        detail: `${info.file}: ${gpu}; loaded in ${info.load_ms} ms; ${(tokens.length / (prefillMs / 1000)).toFixed(0)} prompt tokens/s, ${perToken.toFixed(1)} ms per generated token; GPU backends here: ${supported.length ? supported.join(', ') : 'none'}`,
        facts: { ...info, prompt_tokens_per_s: Math.round(tokens.length / (prefillMs / 1000)), ms_per_token: Math.round(perToken * 10) / 10, gpu_backends: supported },
      };
    } finally {
      await runtime.dispose();
    }
  } catch (err) {
    return { name: 'model', verdict: config.model.path ? 'fail' : 'warn', detail: `${errorInfo(err).message}${config.model.path ? '' : ' (hestia run would start on the fast path alone)'}` };
  }
}

async function checkAudit(config: HestiaConfig): Promise<Check> {
  if (!config.audit.enabled) return { name: 'audit', verdict: 'skip', detail: 'disabled' };
  const dir = dirname(config.audit.file);
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    return { name: 'audit', verdict: 'ok', detail: `${config.audit.file} (writable)` };
  } catch (err) {
    return { name: 'audit', verdict: 'fail', detail: `${dir}: ${(err as Error).message}` };
  }
}
