// Understand -> Check for one request, executing nothing. Used by the daemon and `hestia plan`.
// (First cut: planners only. Schema, catalog and sensitivity checks are being added.)
import type { Catalog } from '../catalog/catalog.js';
import type { Plan } from '../plan/types.js';
import type { PlanInput, Planner } from '../understanding/planner.js';

export interface PipelineDeps {
  catalog: Catalog;
  /** Tried in order; the first that does not answer no_match wins. */
  planners: Planner[];
}

export async function planRequest(input: PlanInput, deps: PipelineDeps, signal?: AbortSignal): Promise<Plan> {
  const t0 = performance.now();
  for (const planner of deps.planners) {
    const proposal = await planner.plan(input, deps.catalog, signal);
    if (proposal.status === 'ok') {
      return {
        id: input.id,
        status: 'ok',
        source: planner.source,
        actions: proposal.actions,
        query_entity_ids: proposal.query_entity_ids,
        speech: proposal.speech,
        timings_ms: { understand: performance.now() - t0 },
      };
    }
  }
  return {
    id: input.id,
    status: 'no_match',
    source: 'none',
    actions: [],
    query_entity_ids: [],
    speech: "Sorry, I didn't understand that.",
    timings_ms: { understand: performance.now() - t0 },
  };
}
