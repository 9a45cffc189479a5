// `npm run eval`: validates the evaluation set, runs it through the pipeline with the fast path
// and prints the report. Exit code 0 whatever the figures; 1 when the cases themselves are
// invalid (the figures would mean nothing); 2 for a bad command line.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Planner } from '../../src/understanding/planner.js';
import { FastPathPlanner } from '../../src/understanding/fastpath/fast-path-planner.js';
import { FAMILIES, HOME_NAMES, InvalidCasesError, defaultCasesDir, repoRoot, type HomeName } from './cases.js';
import { loadEvalSet, runCases } from './evaluate.js';
import { formatReport, reportJson } from './report.js';
import { formatRecall, measureRecall } from './candidate-recall.js';

export interface EvalIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export interface EvalDeps {
  /** The planners a home's cases run through; the fast path alone by default. */
  makePlanners?: (home: HomeName) => Planner[];
  root?: string;
}

const USAGE = `usage: npm run eval -- [options]
  --home NAME             only this home's cases (demo, townhouse, cottage)
  --family NAME           only this family (${FAMILIES.join(', ')})
  --verbose               also list the misses (cases left to the model)
  --json FILE             write the figures, wrong attempts and misses as JSON
  --repeat N              run the set N times for a steadier throughput figure
  --cases DIR             read the case files from DIR (default test/eval/cases)
`;

export async function runEval(argv: string[], io: EvalIo, deps: EvalDeps = {}): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        home: { type: 'string' },
        family: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        json: { type: 'string' },
        repeat: { type: 'string', default: '1' },
        cases: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const repeat = Number(values.repeat);
  const problems: string[] = [];
  if (values.home !== undefined && !(HOME_NAMES as string[]).includes(values.home)) problems.push(`unknown home ${values.home}`);
  if (values.family !== undefined && !(FAMILIES as readonly string[]).includes(values.family)) {
    problems.push(`unknown family ${values.family}`);
  }
  if (!Number.isInteger(repeat) || repeat < 1) problems.push(`--repeat wants a whole number of runs, not ${values.repeat}`);
  if (problems.length > 0) {
    io.stderr.write(`${problems.join('\n')}\n${USAGE}`);
    return 2;
  }

  const root = deps.root ?? repoRoot();
  let set;
  try {
    set = await loadEvalSet(values.cases ? resolve(values.cases) : defaultCasesDir(root), root);
  } catch (err) {
    if (err instanceof InvalidCasesError) {
      io.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }

  const filters: string[] = [];
  if (values.home) filters.push(`home ${values.home}`);
  if (values.family) filters.push(`family ${values.family}`);
  const selected = set.cases.filter(
    (c) => (values.home === undefined || c.home === values.home) && (values.family === undefined || c.family === values.family),
  );
  const makePlanners = deps.makePlanners ?? (() => [new FastPathPlanner()]);
  const { results, throughput } = await runCases(set, selected, makePlanners, repeat);

  io.stdout.write(formatReport(results, throughput, { verbose: values.verbose, filters }));
  const recall = await measureRecall(selected, root);
  io.stdout.write(formatRecall(recall, values.verbose));
  if (values.json) {
    const path = resolve(values.json);
    const figures = { ...reportJson(results, throughput, filters), candidates: recall.map(({ missed, ...row }) => ({ ...row, missed: missed.map((m) => m.id) })) };
    await writeFile(path, `${JSON.stringify(figures, null, 2)}\n`);
    io.stdout.write(`figures written to ${path}\n`);
  }
  return 0;
}
