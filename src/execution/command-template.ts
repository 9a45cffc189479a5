// Command templates: how one entity's action becomes an MQTT topic and payload, so Hestia can drive
// its own topic layout, zigbee2mqtt (`zigbee2mqtt/<name>/set` + JSON) or Tasmota (`cmnd/<dev>/POWER`
// + `ON`). Pure: compiled once from the configuration (bad templates are config errors), then
// rendered per entity. The syntax is documented in config/hestia.example.yaml.
import type { CommandRule, JsonTemplate } from '../config/schema.js';
import { HestiaError } from '../errors.js';
import { globToRegExp } from '../config/glob.js';

export const DEFAULT_TOPIC = '{prefix}/command/{domain}/{object_id}';
export const DEFAULT_PAYLOAD: JsonTemplate = { request_id: '{request_id}', service: '{service}', data: '{data}' };

export type DataValue = string | number | boolean | number[];

/** What a placeholder can name, for one entity of one action. */
export interface CommandContext {
  prefix: string;
  domain: string;
  object_id: string;
  entity_id: string;
  service: string;
  name: string;
  area_id: string;
  request_id: string;
  data: Readonly<Record<string, DataValue | undefined>>;
}

export interface RenderedCommand {
  topic: string;
  payload: string;
  retain: boolean;
}

export interface CompiledRule {
  matches(entityId: string, service: string): boolean;
  render(ctx: CommandContext): RenderedCommand;
}

const VARIABLES = ['prefix', 'domain', 'object_id', 'entity_id', 'service', 'name', 'area_id', 'request_id', 'data'] as const;
const FILTERS = ['upper', 'lower', 'scale'] as const;
// {variable} or {data.field}, optionally piped through one filter: {service|upper}, {data.brightness_pct|scale:254}.
const PLACEHOLDER = /\{([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)?)(?:\|([a-z]+)(?::(\d+(?:\.\d+)?))?)?\}/g;
const WHOLE = new RegExp(`^${PLACEHOLDER.source}$`);

type Value = DataValue | Readonly<Record<string, DataValue | undefined>> | undefined;

/** Compiles the configured rules, most specific first as written; the default rule comes last. */
export function compileRules(rules: readonly Readonly<CommandRule>[]): CompiledRule[] {
  const problems: string[] = [];
  const compiled = rules.map((rule, i) => compileRule(rule, `execution.commands[${i}]`, problems));
  compiled.push(compileRule({ match: '*' }, 'default command', problems));
  if (problems.length > 0) {
    throw new HestiaError('HESTIA_BAD_CONFIG', `invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  return compiled;
}

function compileRule(rule: Readonly<CommandRule>, path: string, problems: string[]): CompiledRule {
  const entity = globToRegExp(rule.match);
  const service = rule.service !== undefined ? globToRegExp(rule.service) : null;
  const topic = rule.topic ?? DEFAULT_TOPIC;
  const payload = rule.payload ?? DEFAULT_PAYLOAD;
  if (/[+#]/.test(topic)) problems.push(`${path}.topic: must not contain MQTT wildcards (+, #)`);
  checkPlaceholders(topic, `${path}.topic`, problems);
  checkTemplate(payload, `${path}.payload`, problems);
  return {
    matches: (entityId, svc) => entity.test(entityId) && (service === null || service.test(svc)),
    render: (ctx) => ({
      topic: interpolate(topic, ctx),
      payload: typeof payload === 'string' ? interpolate(payload, ctx) : JSON.stringify(renderJson(payload, ctx) ?? null),
      retain: rule.retain ?? false,
    }),
  };
}

function checkTemplate(t: JsonTemplate, path: string, problems: string[]): void {
  if (typeof t === 'string') checkPlaceholders(t, path, problems);
  else if (Array.isArray(t)) t.forEach((v, i) => checkTemplate(v, `${path}[${i}]`, problems));
  else if (t !== null && typeof t === 'object') for (const [k, v] of Object.entries(t)) checkTemplate(v, `${path}.${k}`, problems);
}

function checkPlaceholders(s: string, path: string, problems: string[]): void {
  for (const m of s.matchAll(PLACEHOLDER)) {
    const [whole, variable = '', filter, arg] = m;
    const root = variable.split('.')[0] as string;
    if (!(VARIABLES as readonly string[]).includes(root) || (variable.includes('.') && root !== 'data')) {
      problems.push(`${path}: unknown placeholder ${whole} (known: ${VARIABLES.map((v) => `{${v}}`).join(', ')}, {data.<field>})`);
    }
    if (filter !== undefined && !(FILTERS as readonly string[]).includes(filter)) {
      problems.push(`${path}: unknown filter "${filter}" in ${whole} (known: upper, lower, scale:N)`);
    }
    if (filter === 'scale' && arg === undefined) problems.push(`${path}: ${whole} needs a maximum, as in scale:254`);
  }
}

function lookup(variable: string, ctx: CommandContext): Value {
  if (variable.startsWith('data.')) return ctx.data[variable.slice(5)];
  return ctx[variable as (typeof VARIABLES)[number]];
}

function applyFilter(value: Value, filter: string | undefined, arg: string | undefined): Value {
  if (value === undefined || filter === undefined) return value;
  if (filter === 'upper' && typeof value === 'string') return value.toUpperCase();
  if (filter === 'lower' && typeof value === 'string') return value.toLowerCase();
  // A percentage onto a device's own range: 50 with scale:254 -> 127.
  if (filter === 'scale' && typeof value === 'number') return Math.round((value * Number(arg)) / 100);
  return value;
}

function valueOf(match: RegExpMatchArray, ctx: CommandContext): Value {
  return applyFilter(lookup(match[1] ?? '', ctx), match[2], match[3]);
}

/** Placeholders inside a longer string become text; a missing value becomes empty text. */
function interpolate(s: string, ctx: CommandContext): string {
  return s.replace(PLACEHOLDER, (...m: string[]) => {
    const value = valueOf(m as unknown as RegExpMatchArray, ctx);
    if (value === undefined) return '';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

/** A string that is exactly one placeholder keeps its value's type; a missing value drops the key. */
function renderJson(t: JsonTemplate, ctx: CommandContext): unknown {
  if (typeof t === 'string') {
    const whole = WHOLE.exec(t);
    return whole ? valueOf(whole, ctx) : interpolate(t, ctx);
  }
  if (Array.isArray(t)) return t.map((v) => renderJson(v, ctx)).filter((v) => v !== undefined);
  if (t !== null && typeof t === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(t)) {
      const rendered = renderJson(v, ctx);
      if (rendered !== undefined) out[k] = rendered;
    }
    return out;
  }
  return t;
}
