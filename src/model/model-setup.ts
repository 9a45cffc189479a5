// The model planner as the configuration describes it: the file or download, the backend, the
// prompt and serving settings. Shared by the daemon and `hestia plan`, so both plan alike.
import { join } from 'node:path';
import type { HestiaConfig } from '../config/load-config.js';
import type { Logger } from '../log/logger.js';
import type { ConversationMemory } from '../understanding/conversation-memory.js';
import { DEFAULT_MODEL_URI, defaultCacheDir, loadModelRuntime, type ModelRuntime } from './load-model.js';
import { ModelPlanner } from './model-planner.js';

export interface ModelSetup {
  planner: ModelPlanner;
  runtime: ModelRuntime;
  dispose(): Promise<void>;
}

export interface ModelSetupOptions {
  config: HestiaConfig;
  log: Logger;
  env: Record<string, string | undefined>;
  memory?: ConversationMemory;
  /** Show a download progress bar (a terminal is watching). */
  progressBar?: boolean;
  signal?: AbortSignal;
}

export async function setUpModel({ config, log, env, memory, progressBar, signal }: ModelSetupOptions): Promise<ModelSetup> {
  const m = config.model;
  const cacheDir = m.cache_dir ?? defaultCacheDir(env);
  const runtime = await loadModelRuntime(
    {
      source: m.path ?? DEFAULT_MODEL_URI,
      gpu: m.gpu,
      ...(m.threads !== undefined ? { threads: m.threads } : {}),
      contextSize: m.context_size,
      cacheDir,
      download: m.download,
      ...(progressBar !== undefined ? { progressBar } : {}),
      ...(signal ? { signal } : {}),
    },
    log,
  );
  const planner = new ModelPlanner({
    runtime,
    log,
    ...(memory ? { memory } : {}),
    wholeHomeMaxEntities: m.whole_home_max_entities,
    candidateBudget: m.candidate_budget,
    maxQueue: m.max_queue,
    maxTokens: m.max_tokens,
    thoughtBudget: m.thought_budget,
    temperature: m.temperature,
    ...(m.warm_start ? { stateDir: join(cacheDir, 'state') } : {}),
  });
  return {
    planner,
    runtime,
    async dispose() {
      await planner.close();
      await runtime.dispose();
    },
  };
}
