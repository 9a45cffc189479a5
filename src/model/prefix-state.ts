// Warm restarts: the evaluated prompt prefix (rules, examples, the home) saved to disk, so a restart
// or a reboot loads it in milliseconds instead of evaluating it again. A file is used only when it
// was written for the same model file, context size and prefix tokens (its name is their hash):
// llama.cpp trusts a state file blindly, and a state from another model can crash the process.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Token } from 'node-llama-cpp';
import type { Logger } from '../log/logger.js';
import type { ModelRuntime } from './load-model.js';

const PREFIX = 'prefix-';
const SUFFIX = '.state';

export class PrefixStateStore {
  readonly #dir: string;
  readonly #runtime: ModelRuntime;
  readonly #log: Logger;
  readonly #modelKey: string;

  constructor(dir: string, runtime: ModelRuntime, log: Logger) {
    this.#dir = dir;
    this.#runtime = runtime;
    this.#log = log;
    const s = statSync(runtime.info.file);
    this.#modelKey = `${runtime.info.file}\0${s.size}\0${s.mtimeMs}\0${runtime.context.contextSize}`;
  }

  fileFor(prefix: readonly Token[]): string {
    const hash = createHash('sha256').update(this.#modelKey).update(Buffer.from(Uint32Array.from(prefix).buffer)).digest('hex');
    return join(this.#dir, `${PREFIX}${hash.slice(0, 24)}${SUFFIX}`);
  }

  /** Loads the state saved for this prefix; false when there is none or it does not fit. */
  async load(prefix: readonly Token[]): Promise<boolean> {
    const file = this.fileFor(prefix);
    try {
      statSync(file);
    } catch {
      return false;
    }
    const sequence = this.#runtime.sequence;
    try {
      const t0 = performance.now();
      await sequence.loadStateFromFile(file, { acceptRisk: true });
      const tokens = sequence.contextTokens;
      if (tokens.length !== prefix.length || tokens.some((t, i) => t !== prefix[i])) {
        await sequence.clearHistory();
        this.#log.warn({ file }, 'saved prompt state does not match the prefix; evaluating it again');
        return false;
      }
      this.#log.info({ file, tokens: tokens.length, ms: Math.round(performance.now() - t0) }, 'prompt prefix loaded from disk');
      return true;
    } catch (err) {
      await sequence.clearHistory();
      this.#log.warn({ err: (err as Error).message, file }, 'cannot load the saved prompt state; evaluating it again');
      return false;
    }
  }

  /** Saves the sequence (holding exactly `prefix`) and removes older prefixes' files. */
  async save(prefix: readonly Token[]): Promise<void> {
    const file = this.fileFor(prefix);
    try {
      await mkdir(this.#dir, { recursive: true });
      const partial = `${file}.partial`;
      const { fileSize } = await this.#runtime.sequence.saveStateToFile(partial);
      await rename(partial, file);
      for (const name of await readdir(this.#dir)) {
        const path = join(this.#dir, name);
        if (name.startsWith(PREFIX) && path !== file) await rm(path, { force: true });
      }
      this.#log.info({ file, bytes: fileSize, tokens: prefix.length }, 'prompt prefix saved for warm restarts');
    } catch (err) {
      // A cache that cannot be written costs a cold start next time, nothing more.
      this.#log.warn({ err: (err as Error).message, dir: this.#dir }, 'cannot save the prompt state');
    }
  }
}
