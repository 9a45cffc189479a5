// Understand -> Check for one request, executing nothing. Used by the daemon, `hestia plan` and the
// evaluation. Planners propose in order; the proposal that wins is checked against the plan
// schema, then the catalog, then the sensitivity rule, and comes out as a Plan whose status says
// what may happen to it: only `ok` may be executed.
import type { Logger } from 'pino';
import { asksForLaterOrCondition } from '../understanding/schedule.js';
import type { Catalog } from '../catalog/catalog.js';
import { checkCatalog, snapNumber } from '../checks/catalog-check.js';
import { checkPlanSchema, describeSchemaProblems } from '../checks/schema-check.js';
import { DEFAULT_POLICY, decidePolicy, type Policy, type PolicyDecision } from '../checks/policy.js';
import { errorInfo, type ErrorCode } from '../errors.js';
import type { Action, Plan, PlanSource } from '../plan/types.js';
import type { PlanInput, Planner, Proposal } from '../understanding/planner.js';

export interface PipelineDeps {
  catalog: Catalog;
  /** Tried in order; the first that does not answer no_match wins. */
  planners: Planner[];
  /** Where a planner's failure and each outcome are reported; silent when absent. */
  log?: Pick<Logger, 'debug' | 'warn'>;
  /** The safety policy; the built-in one when absent. */
  policy?: Policy;
  /** Told the policy's decision for a plan that reached it (the audit records it). */
  onPolicy?: (decision: PolicyDecision) => void;
  /** Milliseconds from an arbitrary origin, for timings_ms; performance.now when absent. */
  now?: () => number;
}

export const NO_MATCH_SPEECH = "Sorry, I didn't understand that.";
export const LATER_SPEECH = "I can only do things right away, not later, for a while, on a schedule or when something happens.";
export const ERROR_SPEECH = 'Sorry, something went wrong while I was working that out.';
export const BUSY_SPEECH = 'Sorry, I am busy right now. Please try again in a moment.';
export const TIMEOUT_SPEECH = 'Sorry, that took too long.';
/** How many problems error.message lists before it says "and N more". */
const MAX_LISTED = 5;

const ms = (t: number): number => Math.round(Math.max(0, t) * 100) / 100;

/** Milliseconds spent understanding and checking; check is 0 when nothing reached the checks. */
type Timings = { understand: number; check?: number };

function shell(input: PlanInput, source: PlanSource, timings: Timings): Plan {
  const timings_ms = { understand: ms(timings.understand), check: ms(timings.check ?? 0) };
  return { id: input.id, status: 'ok', source, actions: [], query_entity_ids: [], speech: '', timings_ms };
}

function failed(input: PlanInput, source: PlanSource, timings: Timings, status: 'rejected' | 'error' | 'busy' | 'timeout', code: ErrorCode, message: string, speech: string): Plan {
  return { ...shell(input, source, timings), status, speech, error: { code, message } };
}

function listMessages(messages: readonly string[]): string {
  const shown = messages.slice(0, MAX_LISTED);
  if (messages.length > MAX_LISTED) shown.push(`and ${messages.length - MAX_LISTED} more`);
  return shown.join('; ');
}

/** The proposal as the plan it would become, for the schema to judge; nothing is copied deeply. */
function candidate(input: PlanInput, source: PlanSource, proposal: Proposal): Plan {
  return {
    id: input.id,
    status: 'ok',
    source,
    actions: proposal.actions,
    query_entity_ids: proposal.query_entity_ids,
    speech: proposal.speech,
    timings_ms: {},
  };
}

/** The actions with float noise around whole numbers removed, so executors send what was meant. */
function tidyActions(actions: readonly Action[]): Action[] {
  return actions.map((a) => {
    const data: Action['data'] = {};
    for (const [k, v] of Object.entries(a.data)) {
      data[k] = typeof v === 'number' ? snapNumber(v) : Array.isArray(v) ? v.map(snapNumber) : v;
    }
    return { ...a, data };
  });
}

/** Checks a winning proposal; `t1` is when understanding ended. */
function check(input: PlanInput, planner: Planner, proposal: Proposal, deps: PipelineDeps, understand: number, t1: number): Plan {
  const now = deps.now ?? (() => performance.now());
  const source = planner.source;
  const timings = (): Timings => ({ understand, check: now() - t1 });

  // A model-backed planner may hand back anything; only a well-formed "ok" goes further.
  const status = (proposal as Partial<Proposal> | null | undefined)?.status;
  if (status !== 'ok') {
    return failed(input, source, timings(), 'rejected', 'HESTIA_PLAN_INVALID', `the ${source} planner answered ${status === undefined ? 'no proposal' : `status ${String(status)}`}`, NO_MATCH_SPEECH);
  }
  const proposed = candidate(input, source, proposal);
  const schemaProblems = checkPlanSchema(proposed);
  if (schemaProblems.length > 0) {
    const message = `the ${source} planner proposed an invalid plan: ${describeSchemaProblems(schemaProblems, MAX_LISTED)}`;
    return failed(input, source, timings(), 'rejected', 'HESTIA_PLAN_INVALID', message, "Sorry, I couldn't work out a proper plan for that.");
  }
  const plan: Plan = { ...proposed, actions: tidyActions(proposed.actions) };

  const problems = checkCatalog(plan, deps.catalog);
  const first = problems[0];
  if (first) {
    const rejected = failed(input, source, timings(), 'rejected', first.code, listMessages(problems.map((p) => p.message)), `I can't do that: ${first.say}.`);
    // What was refused stays visible to whoever reads the plan; a rejected plan is never executed.
    return { ...rejected, actions: plan.actions, query_entity_ids: plan.query_entity_ids };
  }

  const decision = decidePolicy(plan, deps.catalog, deps.policy ?? DEFAULT_POLICY, input.source ?? 'voice');
  deps.onPolicy?.(decision);
  const done = { ...plan, timings_ms: shell(input, source, timings()).timings_ms };
  switch (decision.tier) {
    case 'allow':
      return done;
    case 'deny':
      return {
        ...done,
        status: 'rejected',
        speech: `Sorry, ${decision.refusal ?? "I'm not allowed to do that"}.`,
        error: { code: 'HESTIA_POLICY_DENIED', message: decision.reasons.join('; ') },
      };
    case 'confirm':
    case 'confirm_pin': {
      const question = decision.question ?? 'Are you sure?';
      return { ...done, status: 'needs_confirmation', speech: question, confirmation: { question, ...(decision.tier === 'confirm_pin' ? { pin_required: true } : {}) } };
    }
  }
}

export async function planRequest(input: PlanInput, deps: PipelineDeps, signal?: AbortSignal): Promise<Plan> {
  const now = deps.now ?? (() => performance.now());
  const t0 = now();
  let plan: Plan | undefined;
  // A planner that declined with words of its own ("no such device") is quoted if nobody else answers.
  let declined: { source: PlanSource; speech: string } | undefined;
  // Hestia acts now or not at all: a request for later or on a condition is answered here, before
  // any planner could act on it at once ("turn the heater on for an hour" is not "turn it on").
  if (asksForLaterOrCondition(input.text)) {
    deps.log?.debug({ request_id: input.id }, 'asks for later or on a condition');
    return { ...shell(input, 'none', { understand: now() - t0 }), status: 'no_match', speech: LATER_SPEECH };
  }
  for (const planner of deps.planners) {
    let proposal: Proposal;
    try {
      proposal = await planner.plan(input, deps.catalog, signal);
    } catch (err) {
      const info = errorInfo(err);
      deps.log?.warn({ err, request_id: input.id, planner: planner.source }, 'planner failed');
      const status = info.code === 'HESTIA_BUSY' ? 'busy' : info.code === 'HESTIA_TIMEOUT' ? 'timeout' : 'error';
      const speech = status === 'busy' ? BUSY_SPEECH : status === 'timeout' ? TIMEOUT_SPEECH : ERROR_SPEECH;
      plan = failed(input, planner.source, { understand: now() - t0 }, status, info.code, `the ${planner.source} planner failed: ${info.message}`, speech);
      break;
    }
    if ((proposal as Proposal | null | undefined)?.status === 'no_match') {
      if (proposal.speech) declined = { source: planner.source, speech: proposal.speech };
      continue;
    }
    const t1 = now();
    try {
      plan = check(input, planner, proposal, deps, t1 - t0, t1);
    } catch (err) {
      // A check that throws is a bug in Hestia, not in the request: report it, never act on it.
      const info = errorInfo(err);
      deps.log?.warn({ err, request_id: input.id }, 'plan check failed');
      plan = failed(input, planner.source, { understand: t1 - t0, check: now() - t1 }, 'error', info.code, `checking the plan failed: ${info.message}`, ERROR_SPEECH);
    }
    break;
  }
  plan ??= { ...shell(input, declined?.source ?? 'none', { understand: now() - t0 }), status: 'no_match', speech: declined?.speech ?? NO_MATCH_SPEECH };
  deps.log?.debug({ request_id: input.id, status: plan.status, source: plan.source, code: plan.error?.code, timings_ms: plan.timings_ms }, 'planned');
  return plan;
}
