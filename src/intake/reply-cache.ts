// The request id is the idempotency key: a repeat within the window gets the first reply again and
// executes nothing, also while the first is still being planned (both wait on the same promise).
export class ReplyCache<T> {
  readonly #windowMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  /** expiresAt is Infinity while the first reply is pending. Map order = insertion order. */
  readonly #entries = new Map<string, { reply: Promise<T>; expiresAt: number }>();

  constructor(options: { windowMs: number; maxEntries?: number; now?: () => number }) {
    this.#windowMs = options.windowMs;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** The first reply for this id, if it was seen within the window. */
  lookup(id: string): Promise<T> | undefined {
    this.#evict();
    return this.#entries.get(id)?.reply;
  }

  /** Remembers the (future) reply for an id; the window starts when it settles. */
  remember(id: string, reply: Promise<T>): void {
    this.#evict();
    const entry = { reply, expiresAt: Number.POSITIVE_INFINITY };
    this.#entries.set(id, entry);
    const settle = (): void => {
      entry.expiresAt = this.#now() + this.#windowMs;
    };
    reply.then(settle, settle);
    // Bounded memory: the oldest settled entries go first when a flood of ids arrives.
    if (this.#entries.size > this.#maxEntries) {
      for (const [key, e] of this.#entries) {
        if (this.#entries.size <= this.#maxEntries) break;
        if (e.expiresAt !== Number.POSITIVE_INFINITY) this.#entries.delete(key);
      }
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  #evict(): void {
    const now = this.#now();
    for (const [key, e] of this.#entries) if (e.expiresAt <= now) this.#entries.delete(key);
  }
}
