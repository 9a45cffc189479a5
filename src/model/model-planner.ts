// The model planner: what the fast path leaves goes to DeepSeek-R1-Distill-Qwen through llama.cpp.
// The prompt is laid out stable first so its evaluated prefix stays in the KV cache between
// requests (and on disk between restarts); the output is constrained by a grammar generated from
// the catalog, so it can only name real services, entities and values; requests wait in one
// bounded queue and stop at their deadline. It only proposes: the pipeline checks everything.
import { DeepSeekChatWrapper, LlamaGrammarEvaluationState, TokenBias, type LlamaGrammar, type Token } from 'node-llama-cpp';
import type { Catalog } from '../catalog/catalog.js';
import type { Entity } from '../catalog/types.js';
import { HestiaError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { CandidateRetriever } from '../understanding/candidates/candidate-retriever.js';
import type { ConversationMemory } from '../understanding/conversation-memory.js';
import type { PlanInput, Planner, Proposal } from '../understanding/planner.js';
import { buildPlanGrammar, type ThinkTokens } from './grammar/plan-grammar.js';
import type { ModelRuntime } from './load-model.js';
import { readModelOutput } from './model-output.js';
import { ModelQueue } from './model-queue.js';
import { PrefixStateStore } from './prefix-state.js';
import { systemPrompt, userPrompt } from './prompt/plan-prompt.js';

export interface ModelPlannerOptions {
  runtime: ModelRuntime;
  log: Logger;
  memory?: ConversationMemory;
  /** Homes with at most this many exposed entities are shown whole in the cached prefix. */
  wholeHomeMaxEntities?: number;
  /** Most candidate entities offered per request in larger homes (whole groups aside). */
  candidateBudget?: number;
  /** Requests that may wait while one is planned. */
  maxQueue?: number;
  /** Most tokens the model may generate for one plan (thoughts included). */
  maxTokens?: number;
  /** Tokens of thought before the answer; 0 answers at once. */
  thoughtBudget?: number;
  /** 0 is greedy (the same request, the same plan). */
  temperature?: number;
  seed?: number;
  /** Reuse the evaluated prefix across requests (off only to measure what it saves). */
  reusePrefix?: boolean;
  /** Where the evaluated prefix is saved for warm restarts; none when absent. */
  stateDir?: string;
  /**
   * Benchmarks only: the answer to steer generation towards, token by token, within the grammar.
   * Generated test models have random weights, so how much they write depends on the prompt, not
   * on the request; steering them to a reference plan makes the same request cost the same
   * tokens in every home, as it would with a real model.
   */
  steer?: (input: PlanInput) => string | undefined;
}

/** What one planning run cost; the bench and `--explain` read it. */
export interface ModelRunStats {
  mode: 'whole_home' | 'candidates';
  candidate_count: number;
  prompt_tokens: number;
  /** Tokens taken from the KV cache instead of being evaluated again. */
  reused_tokens: number;
  evaluated_tokens: number;
  generated_tokens: number;
  ttft_ms: number;
  total_ms: number;
  /** With `steer`: whether the answer written was the one steered to. */
  steered?: boolean;
}

interface Prepared {
  tokens: Token[];
  /** Tokens of the system turn (through the user marker): the part worth keeping. */
  prefixLength: number;
  grammarText: string;
  mode: ModelRunStats['mode'];
  candidates: string[];
}

interface Built {
  structure: number;
  system: string;
  wholeHome: Entity[] | null;
  grammarText?: string;
  grammar?: LlamaGrammar;
}

/** Prompt tokens evaluated between two looks at the deadline (about 2-3 s on two CPU cores). */
const PREFILL_SLICE = 256;

/** Context kept free after the system turn: the user turn (with up to ~40 candidates) and the answer. */
const RESERVED_TOKENS = 1536;

export const DEFAULTS = {
  wholeHomeMaxEntities: 250,
  candidateBudget: 40,
  maxQueue: 8,
  maxTokens: 160,
  thoughtBudget: 0,
  temperature: 0,
} as const;

export class ModelPlanner implements Planner {
  readonly source = 'model' as const;
  readonly #runtime: ModelRuntime;
  readonly #log: Logger;
  readonly #memory: ConversationMemory | undefined;
  readonly #retriever: CandidateRetriever;
  readonly #queue: ModelQueue;
  readonly #options: Required<Omit<ModelPlannerOptions, 'runtime' | 'log' | 'memory' | 'seed' | 'stateDir' | 'steer'>> & Pick<ModelPlannerOptions, 'seed' | 'steer'>;
  readonly #wrapper = new DeepSeekChatWrapper();
  readonly #built = new WeakMap<Catalog, Built>();
  readonly #grammars = new Map<string, LlamaGrammar>();
  readonly #think: ThinkTokens;
  readonly #thinkClosed: Token[];
  readonly #userToken: Token;
  readonly #state: PrefixStateStore | undefined;
  #last: ModelRunStats | undefined;
  #closed = false;

  constructor(options: ModelPlannerOptions) {
    this.#runtime = options.runtime;
    this.#log = options.log.child({ component: 'model' });
    this.#memory = options.memory;
    this.#options = {
      wholeHomeMaxEntities: options.wholeHomeMaxEntities ?? DEFAULTS.wholeHomeMaxEntities,
      candidateBudget: options.candidateBudget ?? DEFAULTS.candidateBudget,
      maxQueue: options.maxQueue ?? DEFAULTS.maxQueue,
      maxTokens: options.maxTokens ?? DEFAULTS.maxTokens,
      thoughtBudget: options.thoughtBudget ?? DEFAULTS.thoughtBudget,
      temperature: options.temperature ?? DEFAULTS.temperature,
      reusePrefix: options.reusePrefix ?? true,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.steer ? { steer: options.steer } : {}),
    };
    this.#retriever = new CandidateRetriever({ budget: this.#options.candidateBudget }, options.memory);
    this.#queue = new ModelQueue(this.#options.maxQueue);
    const model = this.#runtime.model;
    const single = (text: string): Token => {
      const ids = model.tokenize(text, true);
      if (ids.length !== 1) throw new HestiaError('HESTIA_MODEL_UNAVAILABLE', `the model has no single token for ${text}: is it a DeepSeek-R1 model?`);
      return ids[0] as Token;
    };
    this.#think = { open: single('<think>'), close: single('</think>') };
    this.#userToken = single('<｜User｜>');
    // With thinking off, the think block is closed in the prompt: the model answers at once.
    this.#thinkClosed = model.tokenize('<think>\n\n</think>\n\n', true);
    this.#state = options.stateDir ? new PrefixStateStore(options.stateDir, this.#runtime, this.#log) : undefined;
  }

  /** Costs of the last planning run. */
  get lastRun(): ModelRunStats | undefined {
    return this.#last;
  }

  get queue(): { waiting: number; busy: boolean } {
    return { waiting: this.#queue.waiting, busy: this.#queue.busy };
  }

  plan(input: PlanInput, catalog: Catalog, signal?: AbortSignal): Promise<Proposal> {
    if (this.#closed) return Promise.reject(new HestiaError('HESTIA_BUSY', 'the model is shutting down'));
    return this.#queue.push(() => this.#run(input, catalog, signal), signal);
  }

  /** The entities the model would be offered for a request, and the prompt's size in tokens. */
  explain(input: PlanInput, catalog: Catalog): { candidate_entity_ids: string[]; prompt_tokens: number } {
    const prepared = this.#prepare(input, catalog);
    return { candidate_entity_ids: prepared.candidates, prompt_tokens: prepared.tokens.length };
  }

  /**
   * Puts the stable prefix in the KV cache before the first request: from the state file when one
   * matches this model and prefix, else by evaluating it (and saving it for the next start).
   */
  warmUp(catalog: Catalog, signal?: AbortSignal): Promise<{ prefix_tokens: number; from_file: boolean; ms: number }> {
    return this.#queue.push(async () => {
      const t0 = performance.now();
      const prepared = this.#prepare({ id: 'warm-up', text: 'warm up', area_id: null }, catalog);
      const prefix = prepared.tokens.slice(0, prepared.prefixLength);
      const sequence = this.#runtime.sequence;
      let fromFile = false;
      if (this.#state) fromFile = await this.#state.load(prefix);
      if (!fromFile) {
        await this.#alignTo(prefix);
        // In slices, so a shutdown during a long cold prefill does not wait for all of it.
        for (let at = sequence.nextTokenIndex; at < prefix.length; at += PREFILL_SLICE) {
          if (this.#closed || signal?.aborted) throw new HestiaError('HESTIA_BUSY', 'the model stopped reading its prompt: shutting down');
          await sequence.evaluateWithoutGeneratingNewTokens(prefix.slice(at, at + PREFILL_SLICE));
        }
        await this.#state?.save(prefix);
      }
      const ms = Math.round(performance.now() - t0);
      this.#log.info({ prefix_tokens: prefix.length, from_file: fromFile, ms, mode: prepared.mode }, 'model prompt prefix ready');
      return { prefix_tokens: prefix.length, from_file: fromFile, ms };
    }, signal);
  }

  /** Refuses new requests, fails those waiting, lets the running one end (its deadline stops it). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#queue.close();
    await this.#queue.idle();
  }

  #structure(catalog: Catalog): Built {
    let built = this.#built.get(catalog);
    if (built?.structure === catalog.structureVersion) return built;
    const exposed = [...catalog.entities()].filter((e) => e.exposed).sort((a, b) => (a.entity_id < b.entity_id ? -1 : 1));
    let wholeHome = exposed.length <= this.#options.wholeHomeMaxEntities ? exposed : null;
    let system = systemPrompt(catalog, wholeHome);
    // The whole home only where it leaves the context room for a request, its candidates and the answer.
    const room = this.#runtime.context.contextSize - RESERVED_TOKENS;
    if (wholeHome && this.#runtime.model.tokenize(system).length > room) {
      this.#log.info({ entities: exposed.length, context_size: this.#runtime.context.contextSize }, 'the home does not fit the context: offering candidates per request');
      wholeHome = null;
      system = systemPrompt(catalog, null);
    }
    built = { structure: catalog.structureVersion, system, wholeHome };
    if (wholeHome) built.grammarText = this.#grammarText(catalog, wholeHome.map((e) => e.entity_id));
    this.#built.set(catalog, built);
    return built;
  }

  #grammarText(catalog: Catalog, ids: readonly string[]): string {
    return buildPlanGrammar(catalog, ids, { thoughtBudget: this.#options.thoughtBudget, thinkTokens: this.#think });
  }

  #prepare(input: PlanInput, catalog: Catalog): Prepared {
    const built = this.#structure(catalog);
    const previous = this.#memory?.recall(input.conversation_id) ?? [];
    // Retrieved in both modes: with the whole home shown they are only reported (--explain, stats).
    const candidateIds = this.#retriever.retrieve(input, catalog).entity_ids;
    const candidates = built.wholeHome ? null : candidateIds.map((id) => catalog.entity(id)).filter((e): e is Entity => e !== undefined);
    const user = userPrompt({ text: input.text, area_id: input.area_id ?? null, previous }, catalog, candidates);
    const { contextText } = this.#wrapper.generateContextState({
      chatHistory: [
        { type: 'system', text: built.system },
        { type: 'user', text: user },
        { type: 'model', response: [] },
      ],
    });
    let tokens = contextText.tokenize(this.#runtime.model.tokenizer);
    if (this.#options.thoughtBudget === 0) tokens = [...tokens, ...this.#thinkClosed];
    const prefixLength = tokens.indexOf(this.#userToken) + 1;
    const grammarText = built.grammarText ?? this.#grammarText(catalog, candidateIds);
    return { tokens, prefixLength, grammarText, mode: built.wholeHome ? 'whole_home' : 'candidates', candidates: candidateIds };
  }

  async #grammar(text: string): Promise<LlamaGrammar> {
    let grammar = this.#grammars.get(text);
    if (!grammar) {
      grammar = await this.#runtime.llama.createGrammar({ grammar: text });
      // Whole-home grammars are few; per-request ones are many: keep the last few only.
      if (this.#grammars.size >= 16) this.#grammars.delete(this.#grammars.keys().next().value as string);
      this.#grammars.set(text, grammar);
    }
    return grammar;
  }

  /** Erases the sequence from the first token that differs from `tokens`; what matches stays cached. */
  async #alignTo(tokens: Token[]): Promise<void> {
    const sequence = this.#runtime.sequence;
    if (!this.#options.reusePrefix) {
      await sequence.clearHistory();
      return;
    }
    const current = sequence.contextTokens;
    let same = 0;
    const n = Math.min(current.length, tokens.length);
    while (same < n && current[same] === tokens[same]) same += 1;
    if (same < current.length) await sequence.eraseContextTokenRanges([{ start: same, end: current.length }]);
  }

  async #run(input: PlanInput, catalog: Catalog, signal?: AbortSignal): Promise<Proposal> {
    const t0 = performance.now();
    const sequence = this.#runtime.sequence;
    const model = this.#runtime.model;
    const prepared = this.#prepare(input, catalog);
    const grammar = await this.#grammar(prepared.grammarText);
    // At least the last prompt token is evaluated again: generation needs its logits.
    await this.#alignTo(prepared.tokens.slice(0, -1));
    const reused = sequence.nextTokenIndex;
    const fresh = prepared.tokens.slice(reused);
    // A long prompt (a cold start, a changed home) is evaluated in slices so that a deadline or a
    // shutdown stops it within one slice instead of after the whole prompt.
    let pending = fresh;
    while (pending.length > PREFILL_SLICE + 1) {
      if (signal?.aborted) throw new HestiaError('HESTIA_TIMEOUT', 'the request passed its deadline while the model read its prompt');
      await sequence.evaluateWithoutGeneratingNewTokens(pending.slice(0, PREFILL_SLICE));
      pending = pending.slice(PREFILL_SLICE);
    }
    const grammarEvaluationState = new LlamaGrammarEvaluationState({ model, grammar });

    // Thoughts have their own budget; max_tokens bounds the answer after them.
    const limit = this.#options.maxTokens + this.#options.thoughtBudget + 2;
    const generated: Token[] = [];
    let answerStart = 0;
    let ttft = 0;
    let answer = '';
    let complete = false;
    const target = this.#options.steer?.(input);
    const steerTokens = target === undefined ? undefined : model.tokenize(target);
    const steer = steerTokens
      ? (): TokenBias => {
          const bias = new TokenBias(model.tokenizer);
          const next = steerTokens[generated.length];
          const onTrack = generated.every((t, i) => t === steerTokens[i]);
          if (onTrack && next !== undefined) bias.set(next, { logit: 1e4 });
          return bias;
        }
      : undefined;
    const generation = sequence.evaluate(pending, {
      temperature: this.#options.temperature,
      ...(this.#options.seed !== undefined ? { seed: this.#options.seed } : {}),
      grammarEvaluationState,
      ...(steer ? { tokenBias: steer } : {}),
    });
    for await (const token of generation) {
      if (ttft === 0) ttft = performance.now() - t0;
      if (signal?.aborted) break;
      if (model.isEogToken(token)) break;
      generated.push(token);
      if (token === this.#think.close) answerStart = generated.length;
      if (this.#options.thoughtBudget > 0 && answerStart === 0) {
        if (generated.length >= limit) break;
        continue;
      }
      answer = model.detokenize(generated.slice(answerStart));
      // The grammar ends the answer with its closing brace: stop there rather than spend a pass on EOS.
      if (answer.trimEnd().endsWith('}') && isCompleteJson(answer)) {
        complete = true;
        break;
      }
      if (generated.length >= limit) break;
    }
    const stats: ModelRunStats = {
      mode: prepared.mode,
      candidate_count: prepared.candidates.length,
      prompt_tokens: prepared.tokens.length,
      reused_tokens: reused,
      evaluated_tokens: fresh.length,
      generated_tokens: generated.length,
      ttft_ms: Math.round(ttft * 100) / 100,
      total_ms: Math.round((performance.now() - t0) * 100) / 100,
      ...(steerTokens ? { steered: generated.length === steerTokens.length && generated.every((t, i) => t === steerTokens[i]) } : {}),
    };
    this.#last = stats;
    if (this.#options.thoughtBudget > 0 && answerStart > 0) {
      this.#log.debug({ request_id: input.id, thought: model.detokenize(generated.slice(1, answerStart - 1)) }, 'model thought');
    }
    this.#log.debug({ request_id: input.id, ...stats, answer }, 'model answered');
    if (signal?.aborted) throw new HestiaError('HESTIA_TIMEOUT', 'the request passed its deadline while the model was planning');
    if (!complete) {
      throw new HestiaError('HESTIA_PLAN_INVALID', `the model did not finish its answer within ${this.#options.maxTokens} tokens: ${answer.slice(0, 200)}`);
    }
    const proposal = readModelOutput(answer.trim(), catalog);
    if (proposal.status === 'ok') this.#memory?.remember(input.conversation_id, [...proposal.actions.flatMap((a) => a.entity_ids), ...proposal.query_entity_ids]);
    return proposal;
  }
}

function isCompleteJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
