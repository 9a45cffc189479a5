// Candidate retrieval bound to a catalog's name index, rebuilt only when the catalog's names change.
import type { Catalog } from '../../catalog/catalog.js';
import type { ConversationMemory } from '../conversation-memory.js';
import { CatalogIndexCache } from '../fastpath/catalog-index.js';
import type { PlanInput } from '../planner.js';
import { retrieveCandidates, type CandidateOptions, type Candidates } from './retrieve-candidates.js';

export class CandidateRetriever {
  readonly #indexes = new CatalogIndexCache();

  constructor(
    readonly options: Omit<CandidateOptions, 'previous'> = {},
    private readonly memory?: ConversationMemory,
  ) {}

  retrieve(input: PlanInput, catalog: Catalog): Candidates {
    const speakerArea = input.area_id && catalog.area(input.area_id) ? input.area_id : null;
    return retrieveCandidates(input.text, speakerArea, catalog, this.#indexes.get(catalog), {
      ...this.options,
      previous: this.memory?.recall(input.conversation_id),
    });
  }
}
