// The audit trail: one append-only JSON line per request, whatever happened to it — what was asked,
// by whom, the plan, which checks passed or failed, the policy's decision, what was executed and
// how it went, and the timings. Rotated by size (audit.jsonl -> audit.jsonl.1 -> ...), optionally
// published on <prefix>/audit. PINs never reach it: a confirmation's text is recorded only as
// "yes"/"no" when a PIN may be in it.
import { appendFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../log/logger.js';

export interface AuditEntry {
  time: string;
  request_id: string;
  source: string;
  site?: string;
  area_id?: string;
  conversation_id?: string;
  text?: string;
  /** What the request was: a new request, a confirmation answer, a repeat, refused at intake. */
  kind: 'request' | 'confirmation' | 'repeat' | 'burst' | 'invalid' | 'rate_limited' | 'refused';
  status: string;
  planner?: string;
  actions: unknown[];
  query_entity_ids?: string[];
  checks: { passed: boolean; code?: string };
  policy?: { tier: string; reasons: string[] };
  confirmation_id?: string;
  executed: unknown[];
  undelivered?: unknown[];
  error?: { code: string; message: string };
  timings_ms?: Record<string, number>;
}

export interface AuditOptions {
  file: string;
  maxBytes: number;
  keep: number;
  log: Logger;
  /** Also publish each line (the daemon's MQTT connection, when audit.mqtt is on). */
  publish?: (line: string) => Promise<void>;
}

export class AuditLog {
  readonly #options: AuditOptions;
  #queue: Promise<void> = Promise.resolve();
  #size: number | undefined;

  constructor(options: AuditOptions) {
    this.#options = options;
  }

  /** Queues one line; lines are written in order, one at a time. Never throws. */
  record(entry: AuditEntry): void {
    const line = `${JSON.stringify(entry)}\n`;
    this.#queue = this.#queue.then(() => this.#write(line)).catch((err: unknown) => this.#options.log.error({ err, file: this.#options.file }, 'cannot write the audit line'));
    if (this.#options.publish) {
      this.#options.publish(line.trimEnd()).catch((err: unknown) => this.#options.log.warn({ err }, 'cannot publish the audit line'));
    }
  }

  /** Resolves when every line recorded so far is on disk. */
  async flush(): Promise<void> {
    await this.#queue;
  }

  async #write(line: string): Promise<void> {
    const { file, maxBytes } = this.#options;
    if (this.#size === undefined) {
      await mkdir(dirname(file), { recursive: true, mode: 0o750 });
      this.#size = await stat(file).then(
        (s) => s.size,
        () => 0,
      );
    }
    const bytes = Buffer.byteLength(line);
    if (this.#size > 0 && this.#size + bytes > maxBytes) await this.#rotate();
    await appendFile(file, line, { mode: 0o640 });
    this.#size += bytes;
  }

  async #rotate(): Promise<void> {
    const { file, keep } = this.#options;
    await rm(`${file}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i -= 1) await rename(`${file}.${i}`, `${file}.${i + 1}`).catch(() => undefined);
    await rename(file, `${file}.1`);
    this.#size = 0;
  }
}
