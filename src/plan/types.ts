// The plan types, generated from grammars/plan.schema.json (the one source).
export type { Action, ErrorInfo, Plan } from './plan.generated.js';
export type PlanStatus = import('./plan.generated.js').Plan['status'];
export type PlanSource = import('./plan.generated.js').Plan['source'];
