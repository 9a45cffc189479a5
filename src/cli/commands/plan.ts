// `hestia plan`: JSON-line requests on stdin, one plan per line on stdout, in input order, against a
// home snapshot file. Understanding and checks run exactly as in the daemon; nothing is executed.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Catalog } from '../../catalog/catalog.js';
import { loadSnapshotFile } from '../../catalog/snapshot.js';
import { preparePlanSchema } from '../../checks/schema-check.js';
import { buildConfig } from '../../config/load-config.js';
import { demoHomeFile } from '../../config/package-root.js';
import { createLogger } from '../../log/logger.js';
import type { ModelSetup } from '../../model/model-setup.js';
import { errorInfo, type ErrorCode } from '../../errors.js';
import { planRequest, type PipelineDeps } from '../../pipeline/plan-request.js';
import type { Plan } from '../../plan/types.js';
import { FastPathPlanner } from '../../understanding/fastpath/fast-path-planner.js';
import type { PlanInput } from '../../understanding/planner.js';
import { CandidateRetriever } from '../../understanding/candidates/candidate-retriever.js';
import { ConversationMemory } from '../../understanding/conversation-memory.js';
import type { CliIo } from '../io.js';

export const MAX_TEXT_LENGTH = 1000;
/** The plan schema's limit on ids; a longer one could not be echoed in a valid plan. */
export const MAX_ID_LENGTH = 200;

const USAGE = `usage: hestia plan [--home <snapshot.json>] [--model <file.gguf> | --no-model] [--area <area_id>] [--explain]

Reads requests as JSON lines on stdin, one per line:
  {"id": "r1", "text": "turn on the kitchen light", "area_id": "kitchen"}
and writes one plan per line on stdout, in the same order. Nothing is executed.

options:
  --home <file>     home snapshot file (default: the demo home, config/demo-home.json)
  --model <file|uri>  plan what the fast path leaves with this GGUF model (a file, or an hf: URI
                    downloaded once into ~/.cache/hestia/models)
  --no-model        plan with the fast path only (the default)
  --threads <n>     llama.cpp CPU threads (default: the machine's math cores)
  --gpu <choice>    auto, cuda or cpu (default auto; CUDA that is missing falls back to the CPU)
  --area <area_id>  the speaker's area for requests that name none
  --explain         add "explain": {"candidate_entity_ids": [...], "prompt_tokens": N} to every
                    plan: the entities the model is offered for the request (computed whoever
                    answered it) and, with --model, the size of its prompt in tokens
  -h, --help        show this help

A line that cannot be read yields a plan with status "error" (HESTIA_BAD_REQUEST or
HESTIA_TEXT_TOO_LONG) and the next line is read. Exit status: 0 when every line was answered,
2 for bad options or a bad home file, 1 when interrupted.
`;

const BAD_LINE_SPEECH = "Sorry, I couldn't read that request.";

function lineError(id: string, code: ErrorCode, message: string): Plan {
  return {
    id,
    status: 'error',
    source: 'none',
    actions: [],
    query_entity_ids: [],
    speech: BAD_LINE_SPEECH,
    timings_ms: { understand: 0, check: 0 },
    error: { code, message },
  };
}

/** One input line as a planner input, or the error plan that answers it. */
export function parseRequestLine(line: string, lineNo: number, catalog: Catalog, defaultArea: string | null): PlanInput | Plan {
  const fallbackId = `line-${lineNo}`;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (err) {
    return lineError(fallbackId, 'HESTIA_BAD_REQUEST', `line ${lineNo} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return lineError(fallbackId, 'HESTIA_BAD_REQUEST', `line ${lineNo} is not a JSON object`);
  }
  const req = json as Record<string, unknown>;
  const { id, text, area_id: areaId, conversation_id: conversationId } = req;
  const idOk = typeof id === 'string' && id.trim() !== '' && id.length <= MAX_ID_LENGTH;
  const bad = (code: ErrorCode, why: string): Plan => lineError(idOk ? id : fallbackId, code, `line ${lineNo}: ${why}`);

  if (id === undefined || id === null) return bad('HESTIA_BAD_REQUEST', 'id is missing');
  if (typeof id !== 'string') return bad('HESTIA_BAD_REQUEST', 'id must be a string');
  if (id.trim() === '') return bad('HESTIA_BAD_REQUEST', 'id is empty');
  if (id.length > MAX_ID_LENGTH) return bad('HESTIA_BAD_REQUEST', `id is longer than ${MAX_ID_LENGTH} characters`);
  if (text === undefined || text === null) return bad('HESTIA_BAD_REQUEST', 'text is missing');
  if (typeof text !== 'string') return bad('HESTIA_BAD_REQUEST', 'text must be a string');
  if (text.trim() === '') return bad('HESTIA_BAD_REQUEST', 'text is empty');
  if (text.length > MAX_TEXT_LENGTH && [...text].length > MAX_TEXT_LENGTH) {
    return bad('HESTIA_TEXT_TOO_LONG', `text is longer than ${MAX_TEXT_LENGTH} characters`);
  }
  if (areaId !== undefined && areaId !== null && typeof areaId !== 'string') return bad('HESTIA_BAD_REQUEST', 'area_id must be a string');
  if (typeof areaId === 'string' && !catalog.area(areaId)) return bad('HESTIA_BAD_REQUEST', `area_id ${areaId} is not an area of this home`);
  if (conversationId !== undefined && conversationId !== null && typeof conversationId !== 'string') {
    return bad('HESTIA_BAD_REQUEST', 'conversation_id must be a string');
  }
  return {
    id,
    text,
    area_id: typeof areaId === 'string' ? areaId : defaultArea,
    conversation_id: typeof conversationId === 'string' ? conversationId : null,
  };
}

function fail(io: CliIo, message: string, code?: ErrorCode): number {
  io.stderr.write(`hestia plan: ${message}${code ? ` (${code})` : ''}\n`);
  return 2;
}

export async function plan(io: CliIo): Promise<number> {
  let values: { home?: string; model?: string; 'no-model'?: boolean; area?: string; explain?: boolean; threads?: string; gpu?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: io.argv,
      options: {
        home: { type: 'string' },
        model: { type: 'string' },
        'no-model': { type: 'boolean' },
        area: { type: 'string' },
        explain: { type: 'boolean' },
        threads: { type: 'string' },
        gpu: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    io.stderr.write(`hestia plan: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (values.model !== undefined && values['no-model']) return fail(io, '--model and --no-model cannot be used together', 'HESTIA_BAD_REQUEST');
  let threads: number | undefined;
  if (values.threads !== undefined) {
    threads = /^\d+$/.test(values.threads) ? Number(values.threads) : NaN;
    if (!(threads >= 1 && threads <= 256)) return fail(io, `--threads must be a whole number from 1 to 256, got "${values.threads}"`, 'HESTIA_BAD_REQUEST');
  }
  if (values.gpu !== undefined && !['auto', 'cuda', 'cpu'].includes(values.gpu)) return fail(io, `--gpu must be auto, cuda or cpu, got "${values.gpu}"`, 'HESTIA_BAD_REQUEST');

  const homeFile = values.home ?? demoHomeFile();
  let catalog: Catalog;
  try {
    catalog = await loadSnapshotFile(homeFile);
  } catch (err) {
    const info = errorInfo(err);
    return fail(io, info.message, info.code);
  }
  const defaultArea = values.area ?? null;
  if (defaultArea !== null && !catalog.area(defaultArea)) {
    return fail(io, `--area ${defaultArea} is not an area of ${homeFile}`, 'HESTIA_BAD_REQUEST');
  }

  preparePlanSchema();
  // Follow-ups ("turn it off") work within one run, per conversation_id, as they do in the daemon.
  const memory = new ConversationMemory();
  const deps: PipelineDeps = { catalog, planners: [new FastPathPlanner({ memory })] };
  let model: ModelSetup | undefined;
  if (values.model !== undefined) {
    try {
      const config = await buildConfig(
        { model: { path: values.model, enabled: true, ...(threads !== undefined ? { threads } : {}), ...(values.gpu ? { gpu: values.gpu } : {}) } },
        { env: io.env },
      );
      // Logs go to stderr: stdout carries the plans.
      const log = createLogger({ level: 'warn', destination: io.stderr });
      // Loaded only when asked for: llama.cpp's bindings cost a fast-path-only run its start-up time.
      const { setUpModel } = await import('../../model/model-setup.js');
      model = await setUpModel({ config, log, env: io.env, memory, progressBar: (io.stderr as { isTTY?: boolean }).isTTY === true, signal: io.signal });
    } catch (err) {
      const info = errorInfo(err);
      return fail(io, info.message, info.code);
    }
    deps.planners.push(model.planner);
  }
  const retriever = new CandidateRetriever({}, memory);
  const explain: Explainer | undefined = !values.explain
    ? undefined
    : model
      ? (input) => model.planner.explain(input, catalog)
      : (input) => ({ candidate_entity_ids: retriever.retrieve(input, catalog).entity_ids });
  try {
    return await answerLines(io, deps, defaultArea, explain);
  } finally {
    await model?.dispose();
  }
}

type Explainer = (input: PlanInput) => { candidate_entity_ids: string[]; prompt_tokens?: number };

/** Reads, plans and writes line by line, in order, waiting for stdout when it is full. */
async function answerLines(io: CliIo, deps: PipelineDeps, defaultArea: string | null, explain?: Explainer): Promise<number> {
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let outputClosed = false;
  // A reader that goes away (`hestia plan | head`) ends the run quietly instead of crashing it.
  const onOutputError = (): void => {
    outputClosed = true;
    lines.close();
  };
  const onAbort = (): void => lines.close();
  io.stdout.on('error', onOutputError);
  io.stdout.on('close', onOutputError);
  io.signal.addEventListener('abort', onAbort, { once: true });
  let lineNo = 0;
  try {
    for await (const raw of lines) {
      lineNo += 1;
      if (io.signal.aborted || outputClosed) break;
      const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (line.trim() === '') continue;
      const parsed = parseRequestLine(line, lineNo, deps.catalog, defaultArea);
      // Candidates first: they must see the conversation as it was before this request.
      const explained = explain && !('status' in parsed) ? explain(parsed) : { candidate_entity_ids: [] };
      const answer = 'status' in parsed ? parsed : await planRequest(parsed, deps, io.signal);
      const out = explain ? { ...answer, explain: explained } : answer;
      if (!io.stdout.write(`${JSON.stringify(out)}\n`)) await drained(io);
    }
  } finally {
    // The error listener stays: a write still queued can fail after the last line was planned.
    io.stdout.off('close', onOutputError);
    io.signal.removeEventListener('abort', onAbort);
    lines.close();
  }
  if (io.signal.aborted) {
    io.stderr.write(`hestia plan: interrupted after ${lineNo} lines\n`);
    return 1;
  }
  return 0;
}

/** Resolves when stdout can take more, or can take nothing ever again (closed, failed, aborted). */
function drained(io: CliIo): Promise<void> {
  return new Promise((resolve) => {
    const events = ['drain', 'close', 'error'] as const;
    const done = (): void => {
      for (const e of events) io.stdout.off(e, done);
      io.signal.removeEventListener('abort', done);
      resolve();
    };
    for (const e of events) io.stdout.on(e, done);
    io.signal.addEventListener('abort', done, { once: true });
  });
}
