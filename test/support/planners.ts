// Test planners at the edge: a planner that answers a fixed proposal (optionally slowly) and counts
// its calls, so daemon tests can assert the flow around planning without depending on phrasing.
import type { Catalog } from '../../src/catalog/catalog.js';
import type { PlanInput, Planner, Proposal } from '../../src/understanding/planner.js';

export class FixedPlanner implements Planner {
  readonly source = 'fast' as const;
  readonly inputs: PlanInput[] = [];
  readonly #proposal: Proposal;
  readonly #delayMs: number;

  constructor(proposal: Partial<Proposal> & Pick<Proposal, 'actions'>, delayMs = 0) {
    this.#proposal = { status: 'ok', query_entity_ids: [], speech: 'Done.', ...proposal };
    this.#delayMs = delayMs;
  }

  get calls(): number {
    return this.inputs.length;
  }

  async plan(input: PlanInput, _catalog: Catalog, signal?: AbortSignal): Promise<Proposal> {
    this.inputs.push(input);
    if (this.#delayMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#delayMs);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return structuredClone(this.#proposal);
  }
}

export const kitchenLightOn = (): FixedPlanner =>
  new FixedPlanner({ actions: [{ domain: 'light', service: 'turn_on', entity_ids: ['light.kitchen_ceiling'], data: { brightness_pct: 40 } }], speech: 'Kitchen light at 40 percent.' });
