// The deterministic fast path: common commands matched against the catalog with no model.
// (Being written: until the matcher lands this planner answers no_match for everything.)
import type { Catalog } from '../../catalog/catalog.js';
import type { PlanInput, Planner, Proposal } from '../planner.js';

export class FastPathPlanner implements Planner {
  readonly source = 'fast' as const;

  plan(_input: PlanInput, _catalog: Catalog): Proposal {
    return { status: 'no_match', actions: [], query_entity_ids: [], speech: '' };
  }
}
