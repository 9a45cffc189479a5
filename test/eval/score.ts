// Canonical comparison of a plan with a case's expectation, and the figures built from it.
// Actions are compared as a set of (domain, service, entity, data) tuples, so a planner may group
// entity ids as it likes; numbers match within a small tolerance (0.3 vs 0.30000001).
import type { Action, Plan } from '../../src/plan/types.js';
import type { DataValue, EvalCase, ExpectedAction, ExpectedStatus } from './cases.js';

export const NUMBER_TOLERANCE = 0.01;

export interface Tuple {
  domain: string;
  service: string;
  entity_id: string;
  data: Record<string, DataValue>;
}

/** What a planner produced for one case, as much as scoring needs. */
export interface Outcome {
  status: Plan['status'];
  actions: Array<Action | ExpectedAction>;
  query_entity_ids: string[];
}

export interface CaseResult {
  case: EvalCase;
  got: Outcome;
  /** The planner committed to an answer (anything but no_match or error). */
  attempted: boolean;
  correct: boolean;
  /** Set when the pipeline threw. */
  error?: string;
  ms: number;
}

function cleanData(data: Record<string, unknown>): Record<string, DataValue> {
  const out: Record<string, DataValue> = {};
  for (const [k, v] of Object.entries(data)) if (v !== undefined) out[k] = v as DataValue;
  return out;
}

function sameValue(a: DataValue, b: DataValue): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= NUMBER_TOLERANCE;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i] as DataValue));
  return a === b;
}

function sameData(a: Record<string, DataValue>, b: Record<string, DataValue>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => k in b && sameValue(a[k] as DataValue, b[k] as DataValue));
}

export function sameTuple(a: Tuple, b: Tuple): boolean {
  return a.domain === b.domain && a.service === b.service && a.entity_id === b.entity_id && sameData(a.data, b.data);
}

/**
 * One tuple per entity per action, duplicates removed. Two light.turn_on calls on one light with
 * different fields ("20 percent" then "warm") are one call with both: the light ends the same.
 */
export function flattenActions(actions: ReadonlyArray<Action | ExpectedAction>): Tuple[] {
  const out: Tuple[] = [];
  for (const a of actions) {
    const data = cleanData(a.data);
    for (const entity_id of a.entity_ids) {
      const t = { domain: a.domain, service: a.service, entity_id, data };
      const same = out.find((u) => u.domain === 'light' && u.service === 'turn_on' && t.domain === 'light' && t.service === 'turn_on' && u.entity_id === entity_id);
      if (same && Object.keys(data).every((k) => !(k in same.data))) same.data = { ...same.data, ...data };
      else if (!out.some((u) => sameTuple(u, t))) out.push(t);
    }
  }
  return out;
}

export interface OutcomeDiff {
  status?: { expected: ExpectedStatus; got: Plan['status'] };
  missing: Tuple[];
  extra: Tuple[];
  missingQuery: string[];
  extraQuery: string[];
}

export function diffOutcome(expected: EvalCase['expect'], got: Outcome): OutcomeDiff {
  const want = flattenActions(expected.actions);
  const have = flattenActions(got.actions);
  const wantQ = new Set(expected.query_entity_ids);
  const haveQ = new Set(got.query_entity_ids);
  const diff: OutcomeDiff = {
    missing: want.filter((t) => !have.some((u) => sameTuple(t, u))),
    extra: have.filter((t) => !want.some((u) => sameTuple(t, u))),
    missingQuery: [...wantQ].filter((id) => !haveQ.has(id)),
    extraQuery: [...haveQ].filter((id) => !wantQ.has(id)),
  };
  if (expected.status !== got.status) diff.status = { expected: expected.status, got: got.status };
  return diff;
}

export function isCleanDiff(d: OutcomeDiff): boolean {
  return !d.status && d.missing.length === 0 && d.extra.length === 0 && d.missingQuery.length === 0 && d.extraQuery.length === 0;
}

export function isAttempt(status: Plan['status']): boolean {
  return status !== 'no_match' && status !== 'error';
}

export function scoreCase(c: EvalCase, got: Outcome, ms: number, error?: string): CaseResult {
  const attempted = isAttempt(got.status);
  const correct = attempted && isCleanDiff(diffOutcome(c.expect, got));
  return error === undefined ? { case: c, got, attempted, correct, ms } : { case: c, got, attempted, correct, ms, error };
}

export interface Figures {
  cases: number;
  /** Cases whose expected status is not no_match: what the fast path should take. */
  actionable: number;
  attempted: number;
  /** Attempts on actionable cases (the coverage numerator). */
  attemptedActionable: number;
  correct: number;
  /** Attempts that were not correct, including any attempt on a no_match case. */
  wrong: number;
  errors: number;
  /** attemptedActionable / actionable; null when nothing is actionable. */
  coverage: number | null;
  /** correct / attempted; null when nothing was attempted. */
  precision: number | null;
}

export function figures(results: readonly CaseResult[]): Figures {
  let actionable = 0;
  let attempted = 0;
  let attemptedActionable = 0;
  let correct = 0;
  let errors = 0;
  for (const r of results) {
    const isActionable = r.case.expect.status !== 'no_match';
    if (isActionable) actionable += 1;
    if (r.attempted) attempted += 1;
    if (r.attempted && isActionable) attemptedActionable += 1;
    if (r.correct) correct += 1;
    if (r.error !== undefined) errors += 1;
  }
  return {
    cases: results.length,
    actionable,
    attempted,
    attemptedActionable,
    correct,
    wrong: attempted - correct,
    errors,
    coverage: actionable > 0 ? attemptedActionable / actionable : null,
    precision: attempted > 0 ? correct / attempted : null,
  };
}

/** Figures per value of `key`, in the order given (groups with no cases are left out). */
export function figuresBy<K extends string>(
  results: readonly CaseResult[],
  key: (r: CaseResult) => K,
  order: readonly K[],
): Array<[K, Figures]> {
  const groups = new Map<K, CaseResult[]>();
  for (const r of results) {
    const k = key(r);
    const list = groups.get(k);
    if (list) list.push(r);
    else groups.set(k, [r]);
  }
  return order.filter((k) => groups.has(k)).map((k) => [k, figures(groups.get(k) ?? [])]);
}
