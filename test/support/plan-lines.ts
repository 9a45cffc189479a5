// A fast-path answer as sorted lines ("light.turn_on light.porch {"brightness_pct":30}", "ask
// lock.front_door"), so tests compare plans whatever their grouping and order; 'no_match' when the
// fast path leaves the request.
import type { Catalog } from '../../src/catalog/catalog.js';
import type { FastPathPlanner } from '../../src/understanding/fastpath/fast-path-planner.js';

export interface LineOptions {
  /** Show each action's data after its entity. */
  data?: boolean;
  /** Add the entities a question reads, as "ask <id>". */
  asks?: boolean;
}

export function planLines(planner: FastPathPlanner, catalog: Catalog, text: string, area: string | null, options: LineOptions = {}): string[] | 'no_match' {
  const r = planner.plan({ id: 't', text, area_id: area }, catalog);
  if (r.status === 'no_match') return 'no_match';
  const shown = (data: Record<string, unknown>): string => (options.data && Object.keys(data).length ? ` ${JSON.stringify(data)}` : '');
  const acted = r.actions.flatMap((a) => a.entity_ids.map((id) => `${a.domain}.${a.service} ${id}${shown(a.data)}`));
  const asked = options.asks ? r.query_entity_ids.map((id) => `ask ${id}`) : [];
  return [...acted, ...asked].sort();
}
