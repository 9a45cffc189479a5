// The schema check: a plan must match grammars/plan.schema.json, the one source of the plan format.
// The schema is read and compiled once, on first use, from the package's own files (found from this
// module, so it works from src/ under vitest and from dist/ alike).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { packageRoot } from '../config/package-root.js';

export interface SchemaProblem {
  /** JSON pointer to the offending value ("" for the plan itself). */
  path: string;
  message: string;
}

/** grammars/plan.schema.json of this package, wherever it is installed or run from. */
export function planSchemaPath(): string {
  return join(packageRoot(), 'grammars', 'plan.schema.json');
}

let compiled: ValidateFunction | undefined;

/**
 * Reads and compiles the schema now rather than on the first plan (it takes tens of
 * milliseconds); throws when the schema file is missing or broken.
 */
export function preparePlanSchema(): void {
  validator();
}

function validator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(planSchemaPath(), 'utf8')) as object;
    // Strict, so a typo in the schema fails loudly; data values are deliberately a union of types.
    compiled = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
  }
  return compiled;
}

/** Every way the value fails the plan schema; empty when it is a valid plan. */
export function checkPlanSchema(plan: unknown): SchemaProblem[] {
  const validate = validator();
  if (validate(plan)) return [];
  return (validate.errors ?? []).map((e) => {
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'additionalProperties') message = `has unknown property ${String(e.params['additionalProperty'])}`;
    else if (e.keyword === 'enum') message = `must be one of ${(e.params['allowedValues'] as unknown[]).map(String).join(', ')}`;
    return { path: e.instancePath, message };
  });
}

/** "/actions/0/data must be object; /speech must be string" */
export function describeSchemaProblems(problems: readonly SchemaProblem[], limit = 5): string {
  const shown = problems.slice(0, limit).map((p) => `${p.path || '/'} ${p.message}`);
  if (problems.length > limit) shown.push(`and ${problems.length - limit} more`);
  return shown.join('; ');
}
