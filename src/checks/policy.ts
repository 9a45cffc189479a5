// The safety policy: what may be done, by whom, and what needs a person's yes first. It sits
// outside every planner — the fast path and the model only propose — and takes a plan that already
// passed the schema and catalog checks. Pure: (plan, catalog, policy, source) -> decision.
//
// Tiers, most careful first: deny (never, from this source), confirm_pin (a yes with the PIN),
// confirm (a yes), allow. An action's tier is the first matching configured rule, else the
// built-in one (sensitive.ts: doors, locks, garage and gate covers, alarms; valves opening;
// thermostats set beyond the comfort limits); a plan takes its most careful action's tier.
import type { Catalog } from '../catalog/catalog.js';
import { globMatch } from '../config/glob.js';
import type { Entity } from '../catalog/types.js';
import type { Action } from '../plan/types.js';
import { joinWords, theName } from './entity-names.js';
import { sensitiveTargets } from './sensitive.js';

export type Tier = 'allow' | 'confirm' | 'confirm_pin' | 'deny';
export type RequestSource = 'voice' | 'automation' | 'cli';

export interface PolicyRule {
  /** Entity id or glob (`lock.*`, `*.garage_*`); every entity when absent. */
  match?: string;
  /** `domain.service` or a glob (`lock.*`, `*.unlock`); every service when absent. */
  service?: string;
  /** Only for these sources; all when absent. */
  sources?: readonly RequestSource[];
  tier: Tier;
}

export interface Policy {
  /** When set, only these domains may be acted on (questions may still read any exposed entity). */
  allow_domains?: readonly string[];
  deny_domains: readonly string[];
  /** Entities (ids or globs) that may never be acted on. */
  deny_entities: readonly string[];
  rules: readonly PolicyRule[];
  /** Thermostat targets outside this range (°C; converted for °F devices) need a yes. */
  climate_min_c: number;
  climate_max_c: number;
  max_actions: number;
  /** What a risky (confirm) action from each source becomes. */
  sources: Record<RequestSource, { risky: 'confirm' | 'deny' }>;
  /** Whether confirm_pin is in force (a PIN is configured); otherwise it acts as confirm. */
  pin_configured: boolean;
}

export const DEFAULT_POLICY: Policy = {
  deny_domains: ['siren', 'update', 'camera'],
  deny_entities: [],
  rules: [],
  climate_min_c: 12,
  climate_max_c: 28,
  max_actions: 10,
  // Automations run with nobody there to answer a question: risky actions from them are refused
  // unless a rule allows them for the automation source.
  sources: { voice: { risky: 'confirm' }, cli: { risky: 'confirm' }, automation: { risky: 'deny' } },
  pin_configured: false,
};

export interface PolicyDecision {
  tier: Tier;
  /** Why, one line per action that is not plainly allowed: for the audit and logs. */
  reasons: string[];
  /** The question to speak when the tier is confirm or confirm_pin. */
  question?: string;
  /** What to say when the tier is deny. */
  refusal?: string;
}

const RANK: Record<Tier, number> = { allow: 0, confirm: 1, confirm_pin: 2, deny: 3 };


function toCelsius(value: number, entity: Entity | undefined): number {
  const unit = String(entity?.attributes['temperature_unit'] ?? entity?.attributes['unit_of_measurement'] ?? '°C');
  return /F/i.test(unit) ? ((value - 32) * 5) / 9 : value;
}

/** The built-in tier of one action on one entity, with the verb a question uses. */
function builtinTier(action: Action, entity: Entity, catalog: Catalog, policy: Policy): { tier: Tier; verb?: string; why?: string } {
  const key = `${action.domain}.${action.service}`;
  const single: Action = { ...action, entity_ids: [entity.entity_id] as Action['entity_ids'] };
  const sensitive = sensitiveTargets(single, catalog);
  if (sensitive) {
    // Unlocking and disarming take the PIN when one is configured; opening a garage takes a yes.
    const pin = key === 'lock.unlock' || key === 'lock.open' || key === 'alarm_control_panel.alarm_disarm';
    return { tier: pin ? 'confirm_pin' : 'confirm', verb: sensitive.verb, why: `${key} on ${entity.entity_id} lets people in or switches protection off` };
  }
  if (key === 'valve.open_valve' || key === 'valve.toggle' || (key === 'valve.set_valve_position' && Number(action.data['position']) > 0)) {
    return { tier: 'confirm', verb: 'open', why: `${key} on ${entity.entity_id} lets water or gas flow` };
  }
  if (key === 'climate.set_temperature' && typeof action.data['temperature'] === 'number') {
    const c = toCelsius(action.data['temperature'], entity);
    if (c < policy.climate_min_c || c > policy.climate_max_c) {
      return {
        tier: 'confirm',
        verb: `set to ${String(action.data['temperature'])} degrees`,
        why: `${entity.entity_id} to ${String(action.data['temperature'])} is outside ${policy.climate_min_c}-${policy.climate_max_c} °C`,
      };
    }
  }
  return { tier: 'allow' };
}

function ruleTier(action: Action, entity: Entity, source: RequestSource, policy: Policy): PolicyRule | undefined {
  const key = `${action.domain}.${action.service}`;
  return policy.rules.find(
    (r) => (r.match === undefined || globMatch(r.match, entity.entity_id)) && (r.service === undefined || globMatch(r.service, key)) && (r.sources === undefined || r.sources.includes(source)),
  );
}

export function decidePolicy(plan: { actions: readonly Action[] }, catalog: Catalog, policy: Policy, source: RequestSource): PolicyDecision {
  const reasons: string[] = [];
  // Operations, not entries: the same service with the same data on ten lights is one thing to do,
  // however a planner grouped it.
  const operations = new Set(plan.actions.map((a) => `${a.domain}.${a.service} ${JSON.stringify(a.data)}`)).size;
  if (operations > policy.max_actions) {
    const why = `the plan has ${operations} different actions; the policy allows ${policy.max_actions}`;
    return { tier: 'deny', reasons: [why], refusal: `that is more than ${policy.max_actions} things at once` };
  }
  let tier: Tier = 'allow';
  const asks: Array<{ verb: string; entity: Entity }> = [];
  const refusals: string[] = [];
  for (const action of plan.actions) {
    for (const id of action.entity_ids) {
      const entity = catalog.entity(id);
      if (!entity) continue; // the catalog check has already refused unknown entities
      let t: Tier;
      let verb: string | undefined;
      let why: string;
      const rule = ruleTier(action, entity, source, policy);
      const builtin = builtinTier(action, entity, catalog, policy);
      if (policy.allow_domains && !policy.allow_domains.includes(action.domain)) {
        t = 'deny';
        why = `${action.domain} is not among the domains the policy allows`;
      } else if (policy.deny_domains.includes(action.domain)) {
        t = 'deny';
        why = `${action.domain} is a domain the policy denies`;
      } else if (policy.deny_entities.some((g) => globMatch(g, id))) {
        t = 'deny';
        why = `${id} is an entity the policy denies`;
      } else if (rule) {
        t = rule.tier;
        verb = builtin.verb;
        why = `rule ${JSON.stringify(rule)} on ${action.domain}.${action.service} ${id}`;
      } else {
        t = builtin.tier;
        verb = builtin.verb;
        why = builtin.why ?? '';
      }
      // A risky action from a source with nobody to answer (automations) is refused, not asked.
      if ((t === 'confirm' || t === 'confirm_pin') && !rule && policy.sources[source].risky === 'deny') {
        t = 'deny';
        why = `${why}; risky actions from ${source} requests are denied`;
      }
      if (t === 'confirm_pin' && !policy.pin_configured) t = 'confirm';
      if (t !== 'allow') reasons.push(`${t}: ${why}`);
      if (t === 'deny') refusals.push(`${action.service.replace(/_/g, ' ')} ${theName(entity, catalog)}`);
      if (t === 'confirm' || t === 'confirm_pin') asks.push({ verb: verb ?? action.service.replace(/_/g, ' '), entity });
      if (RANK[t] > RANK[tier]) tier = t;
    }
  }
  if (tier === 'deny') return { tier, reasons, refusal: `I'm not allowed to ${joinWords(refusals)}` };
  if (tier === 'allow') return { tier, reasons };
  // One clause per verb: "Unlock the Front Door and open the Garage Door?"
  const byVerb = new Map<string, Entity[]>();
  for (const { verb, entity } of asks) {
    const list = byVerb.get(verb) ?? [];
    if (!list.includes(entity)) list.push(entity);
    byVerb.set(verb, list);
  }
  const clauses = [...byVerb].map(([verb, entities]) => {
    const [first, ...rest] = verb.split(' ');
    return [first, joinWords(entities.map((e) => theName(e, catalog))), ...rest].join(' ');
  });
  const sentence = joinWords(clauses);
  const pin = tier === 'confirm_pin' ? ' Say yes and your PIN.' : '';
  return { tier, reasons, question: `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}?${pin}` };
}
