// The evaluation set: homes, families and the JSON Lines case files, read and shape-checked.
// What a case may say about its home (ids exist, services fit, values in range) is checked
// separately in validate-case.ts, against the loaded catalog.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';

export const FAMILIES = [
  'onoff',
  'brightness',
  'color',
  'color_temp',
  'cover',
  'climate',
  'fan',
  'media',
  'scene_script',
  'lock',
  'vacuum',
  'valve',
  'alarm',
  'query',
  'multi',
  'area_floor',
  'speaker_area',
  'asr',
  'numbers_as_words',
  'out_of_scope',
] as const;
export type Family = (typeof FAMILIES)[number];

/** Each home the set uses, with its snapshot file relative to the repository root. */
export const HOME_FILES = {
  demo: 'config/demo-home.json',
  townhouse: 'test/eval/homes/townhouse.json',
  cottage: 'test/eval/homes/cottage.json',
  loft: 'test/eval/homes/loft.json',
  flat: 'test/eval/homes/flat.json',
  bungalow: 'test/eval/homes/bungalow.json',
  manor: 'test/eval/homes/manor.json',
  annex: 'test/eval/homes/annex.json',
  houseshare: 'test/eval/homes/houseshare.json',
  villa: 'test/eval/homes/villa.json',
  apartment: 'test/eval/homes/apartment.json',
  farmhouse: 'test/eval/homes/farmhouse.json',
  rowhouse: 'test/eval/homes/rowhouse.json',
  chalet: 'test/eval/homes/chalet.json',
  studio: 'test/eval/homes/studio.json',
  ranch: 'test/eval/homes/ranch.json',
  loftlab: 'test/eval/homes/loftlab.json',
} as const;
export type HomeName = keyof typeof HOME_FILES;
export const HOME_NAMES = Object.keys(HOME_FILES) as HomeName[];

export type DataValue = string | number | boolean | number[];

export interface ExpectedAction {
  domain: string;
  service: string;
  entity_ids: string[];
  data: Record<string, DataValue>;
}

export type ExpectedStatus = 'ok' | 'needs_confirmation' | 'no_match';

export interface Expectation {
  status: ExpectedStatus;
  actions: ExpectedAction[];
  query_entity_ids: string[];
}

export interface EvalCase {
  id: string;
  home: HomeName;
  family: Family;
  text: string;
  /** The speaker's area, as a satellite in that room would report it. */
  area_id?: string;
  expect: Expectation;
  /** Where the case was read from, for error messages. */
  source: string;
}

/** Thrown when the case files themselves are broken: the report would mean nothing. */
export class InvalidCasesError extends Error {
  constructor(readonly problems: string[]) {
    super(`${problems.length} problem(s) in the evaluation cases:\n  ${problems.join('\n  ')}`);
    this.name = 'InvalidCasesError';
  }
}

const actionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['domain', 'service', 'entity_ids', 'data'],
  properties: {
    domain: { type: 'string', pattern: '^[a-z_]+$' },
    service: { type: 'string', pattern: '^[a-z_]+$' },
    entity_ids: { type: 'array', minItems: 1, items: { type: 'string' } },
    data: {
      type: 'object',
      additionalProperties: {
        anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: { type: 'number' } }],
      },
    },
  },
} as const;

const caseSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'home', 'family', 'text', 'expect'],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' },
    home: { enum: HOME_NAMES },
    family: { enum: FAMILIES },
    text: { type: 'string', minLength: 1 },
    area_id: { type: 'string', minLength: 1 },
    expect: {
      type: 'object',
      additionalProperties: false,
      required: ['status', 'actions', 'query_entity_ids'],
      properties: {
        status: { enum: ['ok', 'needs_confirmation', 'no_match'] },
        actions: { type: 'array', items: actionSchema },
        query_entity_ids: { type: 'array', items: { type: 'string' } },
      },
    },
  },
} as const;

const validateShape = new Ajv({ allErrors: true }).compile(caseSchema);

/** The repository root: the nearest folder above this file with a package.json (source or dist). */
export function repoRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
}

export function defaultCasesDir(root = repoRoot()): string {
  return join(root, 'test', 'eval', 'cases');
}

export function homeFile(home: HomeName, root = repoRoot()): string {
  return join(root, HOME_FILES[home]);
}

/** Parses one JSON Lines file; blank lines are allowed, every other line must be a valid case. */
export function parseCaseLines(text: string, fileName: string): { cases: EvalCase[]; problems: string[] } {
  const cases: EvalCase[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    const where = `${fileName}:${index + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      problems.push(`${where}: not valid JSON (${(err as Error).message})`);
      return;
    }
    if (!validateShape(json)) {
      const why = (validateShape.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
      problems.push(`${where}: ${why.join('; ')}`);
      return;
    }
    cases.push({ ...(json as Omit<EvalCase, 'source'>), source: where });
  });
  return { cases, problems };
}

/** Reads every *.jsonl file in the folder, in name order. */
export async function loadCases(dir: string = defaultCasesDir()): Promise<{ cases: EvalCase[]; problems: string[] }> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort();
  if (names.length === 0) return { cases: [], problems: [`${dir}: no .jsonl case files`] };
  const cases: EvalCase[] = [];
  const problems: string[] = [];
  for (const name of names) {
    const parsed = parseCaseLines(await readFile(join(dir, name), 'utf8'), name);
    cases.push(...parsed.cases);
    problems.push(...parsed.problems);
  }
  return { cases, problems };
}
