// Loading the model: a local GGUF file or an `hf:` URI (downloaded once into the cache, with a
// progress bar on a terminal), llama.cpp's prebuilt backend (CUDA when asked for or found, the
// CPU otherwise, never a compile at run time), an explicit thread count, one context with one
// sequence. What was loaded, where and how fast is logged and kept for `hestia doctor`.
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { getLlama, LlamaLogLevel, resolveModelFile, type Llama, type LlamaContext, type LlamaContextSequence, type LlamaModel } from 'node-llama-cpp';
import { isModelUri } from '../config/load-config.js';
import { HestiaError } from '../errors.js';
import type { Logger } from '../log/logger.js';

/** DeepSeek-R1-Distill-Qwen-1.5B, Q4_K_M: what Hestia plans with when no file is named. */
export const DEFAULT_MODEL_URI = 'hf:unsloth/DeepSeek-R1-Distill-Qwen-1.5B-GGUF:Q4_K_M';

export type GpuChoice = 'auto' | 'cuda' | 'cpu';

export interface ModelSettings {
  /** A GGUF file path or an `hf:` / `https:` URI. */
  source: string;
  gpu: GpuChoice;
  /** CPU threads for llama.cpp; the machine's math cores when absent. */
  threads?: number;
  contextSize: number;
  /** Downloads and warm-start state files go here. */
  cacheDir: string;
  /** Download a model named by URI that is not in the cache yet (default true). */
  download?: boolean;
  /** Show a progress bar while downloading (a terminal); logs progress otherwise. */
  progressBar?: boolean;
  signal?: AbortSignal;
}

export interface ModelInfo {
  file: string;
  /** llama.cpp's backend: cuda, vulkan, metal or cpu. */
  backend: string;
  gpu_requested: GpuChoice;
  threads: number;
  context_size: number;
  load_ms: number;
  gpu_layers: number;
  vram_used_mb: number | null;
  vram_total_mb: number | null;
  file_bytes: number;
}

export interface ModelRuntime {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  info: ModelInfo;
  dispose(): Promise<void>;
}

export function defaultCacheDir(env: Record<string, string | undefined>): string {
  if (env.CACHE_DIRECTORY) return env.CACHE_DIRECTORY.split(':')[0] as string; // systemd CacheDirectory=
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'hestia');
}

/** The model file on disk: a path as given, or a URI downloaded (once) into the cache. */
export async function resolveModelSource(settings: ModelSettings, log: Logger): Promise<string> {
  const models = join(settings.cacheDir, 'models');
  if (!isModelUri(settings.source)) {
    const path = resolve(settings.source);
    if (!existsSync(path)) {
      throw new HestiaError(
        'HESTIA_MODEL_UNAVAILABLE',
        `no model file at ${path}. Put a GGUF of DeepSeek-R1-Distill-Qwen-1.5B there, point model.path (or --model) at one, ` +
          `or use an hf: URI such as ${DEFAULT_MODEL_URI} to download it into ${models}`,
      );
    }
    return path;
  }
  // A URI resolved once is remembered, so a cached model starts without asking the network again.
  const marker = join(models, '.resolved', `${createHash('sha256').update(settings.source).digest('hex').slice(0, 24)}.path`);
  try {
    const known = (await readFile(marker, 'utf8')).trim();
    if (known && existsSync(known)) return known;
  } catch {
    // not resolved before
  }
  let lastLogged = 0;
  try {
    const file = await resolveModelFile(settings.source, {
      directory: models,
      download: settings.download === false ? false : 'auto',
      cli: settings.progressBar === true,
      ...(settings.signal ? { signal: settings.signal } : {}),
      onProgress: ({ totalSize, downloadedSize }) => {
        const now = Date.now();
        if (settings.progressBar || now - lastLogged < 5000) return;
        lastLogged = now;
        log.info({ downloaded_mb: Math.round(downloadedSize / 1e6), total_mb: Math.round(totalSize / 1e6) }, 'downloading model');
      },
    });
    await mkdir(dirname(marker), { recursive: true });
    await writeFile(marker, `${file}\n`);
    return file;
  } catch (cause) {
    throw new HestiaError(
      'HESTIA_MODEL_UNAVAILABLE',
      `cannot get the model ${settings.source}: ${(cause as Error).message}. Without a network, download the GGUF file elsewhere, ` +
        `put it in ${models} (or anywhere) and set model.path (or --model) to the file`,
      { cause },
    );
  }
}

/** llama.cpp with the backend asked for; CUDA that is not there falls back to the CPU with a warning. */
async function openLlama(gpu: GpuChoice, log: Logger): Promise<Llama> {
  const logLevel = LlamaLogLevel.error;
  // build: 'never' — a daemon must not start compiling llama.cpp; prebuilt binaries or a build made
  // beforehand (`npx --no node-llama-cpp source download --gpu cuda`) only.
  if (gpu === 'cpu') return getLlama({ gpu: false, build: 'never', logLevel });
  if (gpu === 'cuda') {
    try {
      return await getLlama({ gpu: 'cuda', build: 'never', logLevel });
    } catch (err) {
      log.warn(
        { err: (err as Error).message },
        'CUDA was asked for but is not available (no CUDA device, driver or prebuilt CUDA backend for this platform; on a Jetson build it with ' +
          '`npx --no node-llama-cpp source download --gpu cuda`); falling back to the CPU',
      );
      return getLlama({ gpu: false, build: 'never', logLevel });
    }
  }
  try {
    return await getLlama({ gpu: 'auto', build: 'never', logLevel });
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'no GPU backend could be loaded; using the CPU');
    return getLlama({ gpu: false, build: 'never', logLevel });
  }
}

export async function loadModelRuntime(settings: ModelSettings, log: Logger): Promise<ModelRuntime> {
  const file = await resolveModelSource(settings, log);
  const t0 = performance.now();
  const llama = await openLlama(settings.gpu, log);
  const backend = llama.gpu === false ? 'cpu' : llama.gpu;
  if (settings.gpu === 'cuda' && backend !== 'cuda') log.warn({ backend }, 'running on the CPU although model.gpu is cuda');
  // llama.cpp's own default uses at least 4 threads, which on a 2-core board is about 100 times slower.
  const threads = settings.threads ?? Math.max(1, llama.cpuMathCores);
  let model: LlamaModel | undefined;
  let context: LlamaContext | undefined;
  try {
    model = await llama.loadModel({ modelPath: file, gpuLayers: backend === 'cpu' ? 0 : 'auto', ...(settings.signal ? { loadSignal: settings.signal } : {}) });
    context = await model.createContext({ contextSize: settings.contextSize, sequences: 1, threads, batchSize: 512 });
  } catch (cause) {
    await context?.dispose();
    await model?.dispose();
    await llama.dispose();
    throw new HestiaError('HESTIA_MODEL_UNAVAILABLE', `cannot load the model ${file}: ${(cause as Error).message}`, { cause });
  }
  const sequence = context.getSequence();
  let vram: { used: number; total: number } | null = null;
  if (backend !== 'cpu') {
    try {
      vram = await llama.getVramState();
    } catch {
      vram = null;
    }
  }
  const info: ModelInfo = {
    file,
    backend,
    gpu_requested: settings.gpu,
    threads,
    context_size: context.contextSize,
    load_ms: Math.round(performance.now() - t0),
    gpu_layers: model.gpuLayers,
    vram_used_mb: vram ? Math.round(vram.used / 2 ** 20) : null,
    vram_total_mb: vram ? Math.round(vram.total / 2 ** 20) : null,
    file_bytes: (await stat(file)).size,
  };
  log.info(info, 'model loaded');
  const loadedModel = model;
  const loadedContext = context;
  return {
    llama,
    model: loadedModel,
    context: loadedContext,
    sequence,
    info,
    async dispose() {
      await loadedContext.dispose();
      await loadedModel.dispose();
      await llama.dispose();
    },
  };
}
