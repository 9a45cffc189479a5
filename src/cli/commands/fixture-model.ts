// `hestia fixture-model`: writes a generated GGUF model (qwen2 architecture, the real
// DeepSeek-R1-Distill-Qwen tokenizer and chat template, deterministic random weights) for tests
// and benchmarks, since no real weights can be downloaded where Hestia is developed.
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SEED, writeFixtureModel } from '../../model/fixture/qwen2-fixture.js';
import { isPresetName, PRESETS } from '../../model/fixture/presets.js';
import type { CliIo } from '../io.js';

const PRESET_LINES = Object.values(PRESETS)
  .map((p) => `  ${p.name.padEnd(10)} ${p.description}`)
  .join('\n');

const USAGE = `usage: hestia fixture-model --preset <name> --out <file.gguf> [--seed <n>]

Writes a GGUF model with the qwen2 architecture, the DeepSeek-R1-Distill-Qwen tokenizer and chat
template, and random weights. The same preset and seed always give the same bytes.

presets:
${PRESET_LINES}

options:
  --preset <name>  one of the presets above
  --out <file>     where to write the model (folders are created; keep it out of git, e.g. .cache/models/)
  --seed <n>       weight seed, a non-negative integer (default ${DEFAULT_SEED})
  -h, --help       show this help

Exit status: 0 when written, 2 for bad options, 1 when interrupted or the file cannot be written.
`;

function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e3).toFixed(1)} kB`;
}

export async function fixtureModel(io: CliIo): Promise<number> {
  let values: { preset?: string; out?: string; seed?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: io.argv,
      options: {
        preset: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    io.stderr.write(`hestia fixture-model: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    io.stdout.write(USAGE);
    return 0;
  }
  const { preset, out } = values;
  if (preset === undefined || out === undefined) {
    io.stderr.write(`hestia fixture-model: --preset and --out are required\n\n${USAGE}`);
    return 2;
  }
  if (!isPresetName(preset)) {
    io.stderr.write(`hestia fixture-model: unknown preset "${preset}"; choose one of: ${Object.keys(PRESETS).join(', ')}\n`);
    return 2;
  }
  let seed = DEFAULT_SEED;
  if (values.seed !== undefined) {
    seed = /^\d+$/.test(values.seed) ? Number(values.seed) : NaN;
    if (!Number.isSafeInteger(seed)) {
      io.stderr.write(`hestia fixture-model: --seed must be a non-negative integer, got "${values.seed}"\n`);
      return 2;
    }
  }
  const path = resolve(out);
  try {
    await mkdir(dirname(path), { recursive: true });
    const result = await writeFixtureModel({ preset, out: path, seed, signal: io.signal });
    io.stdout.write(`${result.path}\t${formatBytes(result.bytes)} (${result.bytes} bytes)\t${(result.ms / 1000).toFixed(1)} s\n`);
    return 0;
  } catch (err) {
    if (io.signal.aborted) {
      io.stderr.write('hestia fixture-model: interrupted; nothing was written\n');
      return 1;
    }
    io.stderr.write(`hestia fixture-model: ${(err as Error).message}\n`);
    return 1;
  }
}
