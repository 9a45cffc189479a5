// Turns scored results into the printed report and the --json figures. Wrong attempts come
// first and in full: an action the user did not ask for costs more than a request left to the model.
import { FAMILIES, HOME_NAMES, type EvalCase, type Family, type HomeName } from './cases.js';
import type { Throughput } from './evaluate.js';
import { diffOutcome, figures, figuresBy, flattenActions, type CaseResult, type Figures, type Outcome, type Tuple } from './score.js';

const MAX_IDS_SHOWN = 6;

function pct(x: number | null): string {
  return x === null ? '-' : `${(x * 100).toFixed(1)}%`;
}

function table(title: string, rows: Array<[string, Figures]>, total: Figures): string {
  const head = [title, 'cases', 'attempted', 'correct', 'wrong', 'coverage', 'precision'];
  const line = (name: string, f: Figures): string[] => [
    name,
    String(f.cases),
    String(f.attempted),
    String(f.correct),
    String(f.wrong),
    pct(f.coverage),
    pct(f.precision),
  ];
  const body = [...rows.map(([name, f]) => line(name, f)), line('total', total)];
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] as string).length)));
  const fmt = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [fmt(head), rule, ...body.slice(0, -1).map(fmt), rule, fmt(body.at(-1) as string[])].join('\n');
}

function ids(list: readonly string[]): string {
  if (list.length <= MAX_IDS_SHOWN) return list.join(', ');
  return `${list.slice(0, MAX_IDS_SHOWN).join(', ')} +${list.length - MAX_IDS_SHOWN} more`;
}

function dataText(data: Tuple['data']): string {
  const keys = Object.keys(data).sort();
  return keys.length === 0 ? '' : ` {${keys.map((k) => `${k}: ${JSON.stringify(data[k])}`).join(', ')}}`;
}

/** Tuples grouped back into one line per service call and data. */
function tuplesText(tuples: readonly Tuple[]): string[] {
  const groups = new Map<string, string[]>();
  for (const t of tuples) {
    const key = `${t.domain}.${t.service}${dataText(t.data)}`;
    const list = groups.get(key);
    if (list) list.push(t.entity_id);
    else groups.set(key, [t.entity_id]);
  }
  return [...groups].map(([call, entities]) => `${call} -> ${ids(entities)}`);
}

function outcomeText(o: Outcome | EvalCase['expect']): string {
  const parts = [o.status, ...tuplesText(flattenActions(o.actions))];
  if (o.query_entity_ids.length > 0) parts.push(`query ${ids(o.query_entity_ids)}`);
  return parts.join('; ');
}

function caseHeader(c: EvalCase): string {
  const area = c.area_id ? ` (speaker in ${c.area_id})` : '';
  return `${c.id} [${c.home}/${c.family}] ${JSON.stringify(c.text)}${area}`;
}

function wrongText(r: CaseResult): string {
  const d = diffOutcome(r.case.expect, r.got);
  const lines = [caseHeader(r.case), `    expected: ${outcomeText(r.case.expect)}`, `    got:      ${outcomeText(r.got)}`];
  for (const t of tuplesText(d.missing)) lines.push(`    missing:  ${t}`);
  for (const t of tuplesText(d.extra)) lines.push(`    extra:    ${t}`);
  if (d.missingQuery.length > 0) lines.push(`    missing query: ${ids(d.missingQuery)}`);
  if (d.extraQuery.length > 0) lines.push(`    extra query:   ${ids(d.extraQuery)}`);
  return lines.join('\n');
}

export interface ReportOptions {
  verbose: boolean;
  filters: string[];
}

export function formatReport(results: readonly CaseResult[], throughput: Throughput, options: ReportOptions): string {
  const total = figures(results);
  const byFamily = figuresBy(results, (r) => r.case.family, FAMILIES);
  const byHome = figuresBy(results, (r) => r.case.home, HOME_NAMES);
  const wrong = results.filter((r) => r.attempted && !r.correct);
  const errors = results.filter((r) => r.error !== undefined);
  const misses = results.filter((r) => !r.attempted && r.case.expect.status !== 'no_match');

  const out: string[] = [];
  out.push(`Hestia fast-path evaluation: ${results.length} cases${options.filters.length ? ` (${options.filters.join(', ')})` : ''}`);
  out.push('coverage = attempted / cases the fast path should take; precision = correct / attempted\n');
  out.push(table('family', byFamily, total), '');
  out.push(table('home', byHome, total), '');
  out.push(
    `throughput: ${throughput.requests} requests in ${(throughput.seconds * 1000).toFixed(1)} ms = ` +
      `${throughput.perSecond.toFixed(0)} requests/s on one CPU thread ` +
      `(p50 ${throughput.p50Ms.toFixed(3)} ms, p95 ${throughput.p95Ms.toFixed(3)} ms, max ${throughput.maxMs.toFixed(3)} ms)`,
  );
  out.push('', `wrong attempts: ${wrong.length}`);
  for (const r of wrong) out.push(wrongText(r));
  if (errors.length > 0) {
    out.push('', `errors: ${errors.length}`);
    for (const r of errors) out.push(`${caseHeader(r.case)}\n    ${(r.error ?? '').split('\n').join('\n    ')}`);
  }
  if (options.verbose) {
    out.push('', `misses (left to the model): ${misses.length}`);
    for (const r of misses) out.push(`${caseHeader(r.case)}\n    expected: ${outcomeText(r.case.expect)}`);
  } else if (misses.length > 0) {
    out.push('', `misses (left to the model): ${misses.length}; --verbose lists them`);
  }
  return `${out.join('\n')}\n`;
}

function caseJson(r: CaseResult): Record<string, unknown> {
  const c = r.case;
  return {
    id: c.id,
    home: c.home,
    family: c.family,
    text: c.text,
    ...(c.area_id ? { area_id: c.area_id } : {}),
    expected: c.expect,
    got: { status: r.got.status, actions: r.got.actions, query_entity_ids: r.got.query_entity_ids },
    ...(r.error !== undefined ? { error: r.error } : {}),
  };
}

export function reportJson(results: readonly CaseResult[], throughput: Throughput, filters: string[]): Record<string, unknown> {
  return {
    generated_at: new Date().toISOString(),
    filters,
    totals: figures(results),
    by_family: Object.fromEntries(figuresBy(results, (r) => r.case.family as Family, FAMILIES)),
    by_home: Object.fromEntries(figuresBy(results, (r) => r.case.home as HomeName, HOME_NAMES)),
    throughput: {
      requests: throughput.requests,
      seconds: throughput.seconds,
      requests_per_second: throughput.perSecond,
      p50_ms: throughput.p50Ms,
      p95_ms: throughput.p95Ms,
      max_ms: throughput.maxMs,
    },
    wrong: results.filter((r) => r.attempted && !r.correct).map(caseJson),
    errors: results.filter((r) => r.error !== undefined).map(caseJson),
    misses: results.filter((r) => !r.attempted && r.case.expect.status !== 'no_match').map((r) => r.case.id),
  };
}
