// The grammar the model writes its plan in, generated from the catalog for the entities it is
// offered: every action names a real service of its domain, only entities of that domain able to
// take it, and only data fields that service takes, with values inside the field's and the
// entity's limits. Questions name only offered entities and can never become actions. Pure: the
// same catalog and offer always give the same text (so compiled grammars can be cached).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../../catalog/catalog.js';
import type { Entity, ServiceSpec } from '../../catalog/types.js';
import { packageRoot } from '../../config/package-root.js';
import { COLOUR_NAME_RULE, colourNameRule, fieldValueGrammar, jsonStringLiteral } from './field-grammar.js';

export interface ThinkTokens {
  open: number;
  close: number;
}

export interface PlanGrammarOptions {
  /** Tokens the model may think before it answers; 0 (the default) answers at once. */
  thoughtBudget?: number;
  /** The model's <think> and </think> token ids, needed when thoughtBudget > 0. */
  thinkTokens?: ThinkTokens;
}

let base: string | undefined;

/** grammars/model-plan.gbnf: the fixed shape of every answer. */
export function basePlanGrammar(): string {
  base ??= readFileSync(join(packageRoot(), 'grammars', 'model-plan.gbnf'), 'utf8');
  return base;
}

interface Field {
  name: string;
  value: string;
  required: boolean;
}

/** The fields `spec` offers `entity`, or null when the entity cannot take the service at all. */
function offeredFields(spec: ServiceSpec, entity: Entity): Field[] | null {
  const out: Field[] = [];
  for (const [name, fieldSpec] of Object.entries(spec.fields)) {
    const value = fieldValueGrammar(name, fieldSpec, entity);
    if (value === null) {
      if (fieldSpec.required) return null;
      continue;
    }
    out.push({ name, value, required: fieldSpec.required === true });
  }
  return out;
}

/** GBNF rules under construction: a name per rule, bodies kept in insertion order. */
class Rules {
  readonly #bodies = new Map<string, string>();
  #next = 0;

  add(prefix: string, body: string): string {
    const name = `${prefix}${(this.#next += 1)}`;
    this.#bodies.set(name, body);
    return name;
  }

  set(name: string, body: string): void {
    this.#bodies.set(name, body);
  }

  text(): string {
    return [...this.#bodies].map(([name, body]) => `${name} ::= ${body}`).join('\n');
  }
}

/**
 * The data object for one group of entities: fields in a fixed order, each optional unless
 * required, commas only between fields. One rule per (position, something-written-yet) keeps the
 * grammar linear in the number of fields.
 */
function dataRule(fields: Field[], rules: Rules): { rule: string; required: boolean } {
  const memo = new Map<string, string | null>();
  const from = (i: number, started: boolean): string | null => {
    if (i >= fields.length) return null;
    const key = `${i}:${started}`;
    if (memo.has(key)) return memo.get(key) ?? null;
    const f = fields[i] as Field;
    const pair = `${started ? '"," ' : ''}${jsonStringLiteral(f.name)} ":" (${f.value})`;
    const rest = from(i + 1, true);
    const take = rest ? `${pair} ${rest}` : pair;
    let body: string;
    if (f.required) body = take;
    else {
      const skip = from(i + 1, started);
      body = skip ? `(${take}) | ${skip}` : `(${take})?`;
    }
    const name = rules.add('f', body);
    memo.set(key, name);
    return name;
  };
  const inner = from(0, false) ?? '';
  return { rule: rules.add('d', `",{" ${inner} "}"`), required: fields.some((f) => f.required) };
}

/**
 * One or more of `ids`, each at most once, in the catalog's order: a list that cannot repeat a
 * device and so always ends (a loop over one id is what a confused model would otherwise write).
 * Two rules per id: "something written already" or not.
 */
function idListRule(ids: readonly string[], rules: Rules): string {
  const names = new Map<string, string>();
  const from = (i: number, started: boolean): string | null => {
    if (i >= ids.length) return null;
    const key = `${i}:${started}`;
    const known = names.get(key);
    if (known) return known;
    const rest = from(i + 1, true);
    const take = `"," ${jsonStringLiteral(ids[i] as string)}${rest ? ` ${rest}` : ''}`;
    const skip = from(i + 1, started);
    let body: string;
    if (skip) body = `${take} | ${skip}`;
    else body = started ? `(${take})?` : take;
    const name = rules.add('e', body);
    names.set(key, name);
    return name;
  };
  return from(0, false) as string;
}

/**
 * The whole grammar for an offer of entities. Entities that are unknown or not exposed are never
 * offered, whatever the caller passes.
 */
export function buildPlanGrammar(catalog: Catalog, entityIds: Iterable<string>, options: PlanGrammarOptions = {}): string {
  const offered: Entity[] = [];
  for (const id of new Set(entityIds)) {
    const e = catalog.entity(id);
    if (e?.exposed) offered.push(e);
  }
  const byDomain = new Map<string, Entity[]>();
  for (const e of offered) {
    const list = byDomain.get(e.domain);
    if (list) list.push(e);
    else byDomain.set(e.domain, [e]);
  }

  const rules = new Rules();
  const actions: string[] = [];
  let usesColour = false;
  const services = [...catalog.services()].sort((a, b) => (`${a.domain}.${a.service}` < `${b.domain}.${b.service}` ? -1 : 1));
  for (const spec of services) {
    const members = byDomain.get(spec.domain);
    if (!members) continue;
    // Entities with the same offered fields and limits share one rule; a thermostat with its own
    // min/max or a bulb without colour gets a group of its own.
    const groups = new Map<string, { fields: Field[]; ids: string[] }>();
    for (const e of members) {
      const fields = offeredFields(spec, e);
      if (!fields) continue;
      const key = JSON.stringify(fields);
      const group = groups.get(key);
      if (group) group.ids.push(e.entity_id);
      else groups.set(key, { fields, ids: [e.entity_id] });
    }
    for (const { fields, ids } of groups.values()) {
      if (fields.some((f) => f.value === COLOUR_NAME_RULE)) usesColour = true;
      const head = jsonStringLiteral(`${spec.domain}.${spec.service}`);
      let body = `"[" ${head} ${idListRule(ids, rules)}`;
      if (fields.length > 0) {
        const data = dataRule(fields, rules);
        body += data.required ? ` ${data.rule}` : ` ${data.rule}?`;
      }
      actions.push(rules.add('a', `${body} "]"`));
    }
  }
  if (usesColour) rules.set(COLOUR_NAME_RULE, colourNameRule());

  let plan = basePlanGrammar();
  if (actions.length > 0) rules.set('action', actions.join(' | '));
  else plan = plan.replace('( act | ask | refuse )', '( ask | refuse )');
  if (offered.length > 0) rules.set('query-id', offered.map((e) => jsonStringLiteral(e.entity_id)).join(' | '));
  else plan = plan.replace(/\( (act \| )?ask \| refuse \)/, actions.length > 0 ? '( act | refuse )' : '( refuse )');
  if (actions.length === 0) plan = plan.replace(/^act ::=.*$/m, '');
  if (offered.length === 0) plan = plan.replace(/^ask ::=.*$/m, '');

  const budget = options.thoughtBudget ?? 0;
  let root = 'root ::= plan';
  if (budget > 0) {
    const think = options.thinkTokens;
    if (!think) throw new Error('a thought budget needs the model\'s think token ids');
    // Token-id syntax: "think at most N tokens, then close the block and answer".
    root = `root ::= <[${think.open}]> (!<[${think.close}]>){0,${budget}} <[${think.close}]> [ \\n]{0,3} plan`;
  }
  return `${root}\n${plan.trimEnd()}\n${rules.text()}\n`;
}
