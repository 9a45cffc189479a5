// `hestia bench`: the model planner's benchmark (src/model/bench/run-bench.ts). Without --model it
// plans with a generated twin of DeepSeek-R1-Distill-Qwen-1.5B (the real shapes, random weights),
// written once into the cache; --quick uses the 4-layer twin and finishes in a few minutes on 2 cores.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { HomeSnapshot } from '../../catalog/types.js';
import { demoHomeFile } from '../../config/package-root.js';
import { errorInfo } from '../../errors.js';
import { createLogger } from '../../log/logger.js';
import type { CliIo } from '../io.js';

const USAGE = `usage: hestia bench [--quick] [--json FILE] [--model FILE] [--threads N] [--gpu auto|cuda|cpu] [--sizes 50,200,2000]

Times the model planner on homes of 50, 200 and 2000 entities: time to first token cold, warm
and with prefix reuse off, plan latency p50/p95, tokens evaluated and generated, peak memory.

  --quick         the 4-layer twin and fewer requests (a few minutes on 2 cores)
  --json FILE     also write the figures as JSON
  --model FILE    a GGUF model (default: the generated twin, written once into the cache)
  --threads N     llama.cpp CPU threads (default: the machine's math cores)
  --gpu CHOICE    auto (default), cuda or cpu
  --sizes LIST    home sizes to measure (default 50,200,2000; the demo home grown with more rooms)
`;

export async function bench(io: CliIo): Promise<number> {
  let values: { quick?: boolean; json?: string; model?: string; threads?: string; gpu?: string; sizes?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: io.argv,
      options: {
        quick: { type: 'boolean' },
        json: { type: 'string' },
        model: { type: 'string' },
        threads: { type: 'string' },
        gpu: { type: 'string' },
        sizes: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    io.stderr.write(`hestia bench: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    io.stderr.write(`hestia bench: --threads must be a whole number of at least 1\n`);
    return 2;
  }
  const gpu = values.gpu ?? 'auto';
  if (gpu !== 'auto' && gpu !== 'cuda' && gpu !== 'cpu') {
    io.stderr.write(`hestia bench: --gpu must be auto, cuda or cpu\n`);
    return 2;
  }
  const sizes = (values.sizes ?? '50,200,2000').split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 20000)) {
    io.stderr.write(`hestia bench: --sizes must list home sizes such as 50,200,2000\n`);
    return 2;
  }
  const quick = values.quick === true;
  const log = createLogger({ level: 'warn', destination: io.stderr });
  try {
    const { defaultCacheDir, loadModelRuntime } = await import('../../model/load-model.js');
    const { benchTable, runBench } = await import('../../model/bench/run-bench.js');
    const cacheDir = defaultCacheDir(io.env);
    let modelFile = values.model ? resolve(values.model) : '';
    if (!modelFile) {
      const preset = quick ? 'twin-lite' : 'twin';
      modelFile = join(cacheDir, 'fixtures', `${preset}.gguf`);
      if (!existsSync(modelFile)) {
        io.stderr.write(`writing the generated ${preset} model to ${modelFile}\n`);
        await mkdir(dirname(modelFile), { recursive: true });
        const { writeFixtureModel } = await import('../../model/fixture/qwen2-fixture.js');
        await writeFixtureModel({ preset, out: modelFile, signal: io.signal });
      }
    }
    const runtime = await loadModelRuntime({ source: modelFile, gpu, ...(threads ? { threads } : {}), contextSize: 8192, cacheDir }, log);
    try {
      const demo = JSON.parse(await readFile(demoHomeFile(), 'utf8')) as HomeSnapshot;
      const figures = await runBench({
        runtime,
        demo,
        log,
        quick,
        sizes,
        onHome: (size, h) => io.stderr.write(`${size} entities: cold TTFT ${h.cold_ttft_ms} ms, warm ${h.warm_ttft_ms} ms, p50 ${h.p50_ms} ms\n`),
      });
      io.stdout.write(`${benchTable(figures)}\n`);
      if (values.json) await writeFile(values.json, `${JSON.stringify(figures, null, 2)}\n`);
      return 0;
    } finally {
      await runtime.dispose();
    }
  } catch (err) {
    io.stderr.write(`hestia bench: ${errorInfo(err).message}\n`);
    return 1;
  }
}
