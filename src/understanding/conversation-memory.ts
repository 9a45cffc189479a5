// What each conversation last talked about, so "turn it off" or "make them brighter" right after
// "turn on the porch light" means the porch light. Bounded in size and age: a follow-up minutes
// later should not reach a device nobody is thinking about any more.

export interface ConversationMemoryOptions {
  /** How long a conversation's last targets stay meaningful. */
  ttlMs?: number;
  /** Most conversations remembered at once; the oldest are forgotten first. */
  maxConversations?: number;
  now?: () => number;
}

export class ConversationMemory {
  readonly #entries = new Map<string, { entityIds: string[]; at: number }>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: ConversationMemoryOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 5 * 60_000;
    this.#max = options.maxConversations ?? 1000;
    this.#now = options.now ?? Date.now;
  }

  recall(conversationId: string | null | undefined): string[] {
    if (!conversationId) return [];
    const entry = this.#entries.get(conversationId);
    if (!entry) return [];
    if (this.#now() - entry.at > this.#ttlMs) {
      this.#entries.delete(conversationId);
      return [];
    }
    return entry.entityIds;
  }

  remember(conversationId: string | null | undefined, entityIds: string[]): void {
    if (!conversationId || entityIds.length === 0) return;
    this.#entries.delete(conversationId); // re-insert to keep Map order = age
    this.#entries.set(conversationId, { entityIds: [...entityIds], at: this.#now() });
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }
}
