// Repetition at the door: a source that sends more than its share in a minute is answered busy
// (HESTIA_RATE_LIMITED), and the same words from the same place within a short window — a voice
// bridge firing twice, a button bouncing — are answered with the first reply instead of acting again.
export class RequestLimiter<R> {
  readonly #perMinute: number;
  readonly #burstMs: number;
  readonly #now: () => number;
  readonly #recent = new Map<string, number[]>();
  readonly #bursts = new Map<string, { at: number; reply: Promise<R> }>();

  constructor(options: { perMinute: number; burstMs: number; now?: () => number }) {
    this.#perMinute = options.perMinute;
    this.#burstMs = options.burstMs;
    this.#now = options.now ?? Date.now;
  }

  /** Counts a request from `key`; false when the key is over its limit (the request is not counted). */
  admit(key: string): boolean {
    const now = this.#now();
    const times = (this.#recent.get(key) ?? []).filter((t) => now - t < 60_000);
    if (times.length >= this.#perMinute) {
      this.#recent.set(key, times);
      return false;
    }
    times.push(now);
    this.#recent.set(key, times);
    if (this.#recent.size > 10_000) this.#prune(now);
    return true;
  }

  /** The reply of the same text from the same place within the burst window, if any. */
  repeatOf(key: string, text: string): Promise<R> | undefined {
    const entry = this.#bursts.get(burstKey(key, text));
    return entry && this.#now() - entry.at <= this.#burstMs ? entry.reply : undefined;
  }

  remember(key: string, text: string, reply: Promise<R>): void {
    if (this.#burstMs <= 0) return;
    const now = this.#now();
    this.#bursts.set(burstKey(key, text), { at: now, reply });
    if (this.#bursts.size > 1000) for (const [k, v] of this.#bursts) if (now - v.at > this.#burstMs) this.#bursts.delete(k);
  }

  #prune(now: number): void {
    for (const [k, times] of this.#recent) if (times.every((t) => now - t >= 60_000)) this.#recent.delete(k);
  }
}

function burstKey(key: string, text: string): string {
  return `${key}\u0000${text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()}`;
}
