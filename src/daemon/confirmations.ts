// Pending confirmations: a plan the policy held back, waiting for a yes from the same conversation
// (its conversation_id, else its site) within a window. Taking one removes it, so a yes executes
// exactly that plan, once; a late yes finds nothing. Ids are random, so a confirmation_id pins a
// yes to one question and cannot be guessed.
import { randomUUID } from 'node:crypto';
import type { Action } from '../plan/types.js';

export interface PendingConfirmation {
  id: string;
  /** The request that asked. */
  request_id: string;
  key: string | null;
  actions: Action[];
  question: string;
  pinRequired: boolean;
  expiresAt: number;
  wrongPins: number;
}

export class ConfirmationBook {
  readonly #byId = new Map<string, PendingConfirmation>();
  readonly #byKey = new Map<string, string>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** The conversation a request belongs to: its conversation id, else its site; null if neither. */
  static keyOf(request: { conversation_id?: string | undefined; site?: string | undefined }): string | null {
    if (request.conversation_id) return `conversation:${request.conversation_id}`;
    if (request.site) return `site:${request.site}`;
    return null;
  }

  /** Holds a plan back; a newer question in the same conversation replaces the older one. */
  hold(entry: Omit<PendingConfirmation, 'id' | 'wrongPins'>): PendingConfirmation {
    this.#sweep();
    const pending: PendingConfirmation = { ...entry, id: randomUUID(), wrongPins: 0 };
    if (entry.key) {
      const previous = this.#byKey.get(entry.key);
      if (previous) this.#byId.delete(previous);
      this.#byKey.set(entry.key, pending.id);
    }
    this.#byId.set(pending.id, pending);
    return pending;
  }

  /** The pending confirmation a follow-up refers to: by its id when given, else by conversation. */
  find(key: string | null, confirmationId?: string): PendingConfirmation | undefined {
    this.#sweep();
    if (confirmationId !== undefined) return this.#byId.get(confirmationId);
    const id = key ? this.#byKey.get(key) : undefined;
    return id ? this.#byId.get(id) : undefined;
  }

  /** Whether the conversation has a question waiting (expired ones are gone). */
  pendingFor(key: string | null): boolean {
    return this.find(key) !== undefined;
  }

  /** Removes and returns it: whatever happens next, it cannot be answered twice. */
  take(id: string): PendingConfirmation | undefined {
    const pending = this.#byId.get(id);
    if (!pending) return undefined;
    this.#byId.delete(id);
    if (pending.key && this.#byKey.get(pending.key) === id) this.#byKey.delete(pending.key);
    return pending.expiresAt > this.#now() ? pending : undefined;
  }

  get size(): number {
    this.#sweep();
    return this.#byId.size;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [id, p] of this.#byId) {
      if (p.expiresAt <= now) {
        this.#byId.delete(id);
        if (p.key && this.#byKey.get(p.key) === id) this.#byKey.delete(p.key);
      }
    }
  }
}
