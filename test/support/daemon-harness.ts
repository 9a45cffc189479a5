// Starts a real Daemon for a test: configuration built the same way `hestia run` builds it, logs
// captured in memory (pino JSON lines), on a given broker or on its own embedded broker (port 0).
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Catalog } from '../../src/catalog/catalog.js';
import { buildConfig, type HestiaConfig } from '../../src/config/load-config.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { createLogger } from '../../src/log/logger.js';
import type { Planner } from '../../src/understanding/planner.js';

/** pino lines written to memory. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  }

  get text(): string {
    return this.lines.join('\n');
  }

  entries(): Array<Record<string, unknown>> {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

export interface StartOptions {
  /** A broker URL; the daemon's own embedded broker on a free port when absent. */
  url?: string;
  /** More configuration (merged over the test defaults, section by section). */
  config?: Record<string, Record<string, unknown>>;
  env?: Record<string, string>;
  planners?: Planner[];
  catalog?: Catalog;
  clientId?: string;
}

export interface Running {
  daemon: Daemon;
  config: HestiaConfig;
  logs: LogCapture;
  /** Where clients connect: the given broker or the embedded one. */
  url: string;
}

export async function testConfig(options: StartOptions = {}): Promise<HestiaConfig> {
  const extra = options.config ?? {};
  const raw = {
    ...extra,
    mqtt: {
      url: options.url ?? '',
      client_id: options.clientId ?? `hestia-test-${randomUUID().slice(0, 8)}`,
      reconnect_period_ms: 200,
      ...extra.mqtt,
    },
    embedded_broker: { port: 0, ...extra.embedded_broker },
    // No model unless a test asks for one: a default model would be looked for (and downloaded).
    model: { enabled: false, ...extra.model },
    // Each daemon's audit trail in a file of its own, never the user's state folder.
    audit: { file: join(tmpdir(), `hestia-test-audit-${randomUUID()}.jsonl`), ...extra.audit },
    log: { level: 'debug', ...extra.log },
  };
  return buildConfig(raw, { env: options.env ?? {} });
}

export async function startDaemon(options: StartOptions = {}): Promise<Running> {
  const config = await testConfig(options);
  const logs = new LogCapture();
  const daemon = new Daemon({
    config,
    log: createLogger({ level: config.log.level, destination: logs }),
    ...(options.planners ? { planners: options.planners } : {}),
    ...(options.catalog ? { catalog: options.catalog } : {}),
    env: options.env ?? {},
  });
  await daemon.start(AbortSignal.timeout(10_000));
  return { daemon, config, logs, url: daemon.brokerUrl };
}
