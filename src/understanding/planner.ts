// The one small interface both planners (the fast path and the model) sit behind, so the daemon,
// the CLI and the tests run the same flow with or without a model. A planner only proposes: it
// never executes and never decides safety.
import type { Catalog } from '../catalog/catalog.js';
import type { RequestSource } from '../checks/policy.js';
import type { Action } from '../plan/types.js';

/** What a planner needs to know about a request. */
export interface PlanInput {
  id: string;
  text: string;
  /** The speaker's area (from the request's area_id, or its site mapped to an area). */
  area_id?: string | null;
  conversation_id?: string | null;
  /** Who asked: the safety policy treats automations (nobody to answer a question) apart. Voice when absent. */
  source?: RequestSource;
}

export interface Proposal {
  /** `no_match` means "not sure": the next planner (or the model) should take it. */
  status: 'ok' | 'no_match';
  actions: Action[];
  /** Entities whose state the answer reads (state questions). Never executed. */
  query_entity_ids: string[];
  speech: string;
}

export interface Planner {
  /** Which planner produced a plan: `fast` or `model`. */
  readonly source: 'fast' | 'model';
  plan(input: PlanInput, catalog: Catalog, signal?: AbortSignal): Proposal | Promise<Proposal>;
}
