// How checks name devices in what they say: the entity's own name, with its area in front when
// another device has the same name ("Garage Ceiling"). Checks import no planner, so this is their
// own small copy of the rule rather than the fast path's.
import type { Catalog } from '../catalog/catalog.js';
import type { Entity } from '../catalog/types.js';

export function nameOf(entity: Entity, catalog: Catalog): string {
  const area = catalog.area(entity.area_id);
  const lower = entity.name.toLowerCase();
  if (!area || lower.includes(area.name.toLowerCase())) return entity.name;
  for (const other of catalog.entities()) {
    if (other !== entity && other.name.toLowerCase() === lower) return `${area.name} ${entity.name}`;
  }
  return entity.name;
}

/** "the Front Door"; names that already carry an article or an owner ("Tom's Lock") stay as they are. */
export function theName(entity: Entity, catalog: Catalog): string {
  const name = nameOf(entity, catalog);
  return /^(the|a|an|my|our)\s/i.test(name) || /'s\s/i.test(name) ? name : `the ${name}`;
}

export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
