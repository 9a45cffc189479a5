// What the model wrote (grammars/model-plan.gbnf), read back into a proposal. The grammar already
// keeps it to real services, entities and values, but nothing here trusts that: anything that does
// not have the expected shape is reported, and every proposal still goes through the same schema,
// catalog and sensitivity checks as the fast path's.
import type { Catalog } from '../catalog/catalog.js';
import { HestiaError } from '../errors.js';
import type { Action } from '../plan/types.js';
import { actionSpeech, describeState, joinNames, spokenName } from '../understanding/fastpath/speech.js';
import type { Proposal } from '../understanding/planner.js';

export interface ModelProposal extends Proposal {
  /** The model's own reason when it answered "no"; for logs and speech. */
  reason?: string;
}

type DataValue = Action['data'][string];

function invalid(why: string, text: string): HestiaError {
  return new HestiaError('HESTIA_PLAN_INVALID', `the model's answer ${why}: ${text.slice(0, 200)}`);
}

function isDataValue(v: unknown): v is DataValue {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || (Array.isArray(v) && v.every((n) => typeof n === 'number'));
}

function readAction(item: unknown, text: string): Action {
  if (!Array.isArray(item) || item.length < 2) throw invalid('has an action that is not ["service", entity ids..., {data}?]', text);
  const [head, ...rest] = item as unknown[];
  if (typeof head !== 'string' || !head.includes('.')) throw invalid('names no domain.service', text);
  const dot = head.indexOf('.');
  const last = rest[rest.length - 1];
  const rawData = last !== null && typeof last === 'object' && !Array.isArray(last) ? (rest.pop() as Record<string, unknown>) : {};
  const ids = rest.filter((id): id is string => typeof id === 'string');
  if (ids.length !== rest.length || ids.length === 0) throw invalid('has an action without entity ids', text);
  const data: Action['data'] = {};
  for (const [k, v] of Object.entries(rawData)) {
    if (!isDataValue(v)) throw invalid(`has a value for ${k} that is not a plain value`, text);
    data[k] = v;
  }
  return { domain: head.slice(0, dot), service: head.slice(dot + 1), entity_ids: [...new Set(ids)] as Action['entity_ids'], data };
}

/** Parses the model's JSON answer into a proposal with speech built from the catalog. */
export function readModelOutput(text: string, catalog: Catalog): ModelProposal {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid('is not complete JSON', text);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw invalid('is not a JSON object', text);
  const answer = json as Record<string, unknown>;
  if (Array.isArray(answer['do'])) {
    const actions = answer['do'].map((a) => readAction(a, text));
    if (actions.length === 0) throw invalid('has no actions', text);
    return { status: 'ok', actions, query_entity_ids: [], speech: actionSpeech(actions, catalog) };
  }
  if (Array.isArray(answer['ask'])) {
    const ids = [...new Set(answer['ask'].filter((id): id is string => typeof id === 'string'))];
    if (ids.length === 0 || ids.length !== answer['ask'].length) throw invalid('asks about no entities', text);
    const parts = ids.map((id) => {
      const e = catalog.entity(id);
      return e ? `${spokenName(e, catalog)} is ${describeState(e)}` : id;
    });
    return { status: 'ok', actions: [], query_entity_ids: ids, speech: `${joinNames(parts)}.` };
  }
  if (typeof answer['no'] === 'string') {
    const reason = answer['no'].trim();
    return { status: 'no_match', actions: [], query_entity_ids: [], speech: reason ? `Sorry, I can't do that: ${reason}.` : "Sorry, I can't do that.", reason };
  }
  throw invalid('is neither "do", "ask" nor "no"', text);
}
