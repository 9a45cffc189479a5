// The interim sensitivity rule, until a full safety policy exists: actions that let people into
// the home or switch its alarm off are never executed without a confirmation. Pure:
// (plan, catalog) -> decision; the pipeline turns a "confirm" into status needs_confirmation.
import type { Catalog } from '../catalog/catalog.js';
import type { Entity } from '../catalog/types.js';
import type { Action } from '../plan/types.js';
import { joinWords, theName } from './entity-names.js';

/** Covers that let people in when they open. */
export const ENTRY_COVER_CLASSES: ReadonlySet<string> = new Set(['garage', 'gate', 'door']);

export interface SensitiveAction {
  /** Index of the action in the plan. */
  index: number;
  domain: string;
  service: string;
  /** The entities of the action that make it sensitive. */
  entity_ids: string[];
}

export type SensitivityDecision =
  | { confirm: false }
  | { confirm: true; question: string; sensitive: SensitiveAction[] };

/** The entities of one action that need a confirmation, with the verb that asks about them. */
export function sensitiveTargets(action: Action, catalog: Catalog): { verb: string; entities: Entity[] } | undefined {
  const entities = action.entity_ids.map((id) => catalog.entity(id)).filter((e): e is Entity => e !== undefined);
  const all = (verb: string) => (entities.length ? { verb, entities } : undefined);
  switch (`${action.domain}.${action.service}`) {
    case 'lock.unlock':
      return all('unlock');
    case 'lock.open':
      return all('open');
    case 'alarm_control_panel.alarm_disarm':
      return all('disarm');
    case 'cover.open_cover':
    case 'cover.toggle':
    case 'cover.set_cover_position': {
      if (action.service === 'set_cover_position') {
        const position = action.data['position'];
        // Closing all the way is the safe direction; anything open is not.
        if (typeof position === 'number' && position <= 0) return undefined;
      }
      const entries = entities.filter((e) => ENTRY_COVER_CLASSES.has(e.device_class ?? ''));
      if (entries.length === 0) return undefined;
      const position = action.data['position'];
      const verb = action.service === 'toggle' ? 'toggle' : 'open';
      const suffix = action.service === 'set_cover_position' && typeof position === 'number' && position < 100 ? ` to ${position} percent` : '';
      return { verb: `${verb}${suffix}`, entities: entries };
    }
    default:
      return undefined;
  }
}

export function assessSensitivity(plan: { actions: readonly Action[] }, catalog: Catalog): SensitivityDecision {
  const sensitive: SensitiveAction[] = [];
  const clauses: string[] = [];
  plan.actions.forEach((action, index) => {
    const found = sensitiveTargets(action, catalog);
    if (!found) return;
    sensitive.push({ index, domain: action.domain, service: action.service, entity_ids: found.entities.map((e) => e.entity_id) });
    const [verb, ...rest] = found.verb.split(' ');
    const who = joinWords(found.entities.map((e) => theName(e, catalog)));
    clauses.push([verb, who, ...rest].join(' '));
  });
  if (sensitive.length === 0) return { confirm: false };
  const sentence = joinWords(clauses);
  return { confirm: true, question: `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}?`, sensitive };
}
