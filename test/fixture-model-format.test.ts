// The pieces of a generated model without llama.cpp: half floats, quantised blocks, the seeded
// generator, and GGUF files as node-llama-cpp's own GGUF reader sees them.
import { mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GgmlType as LlamaGgmlType, readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GGUF_ALIGNMENT, writeGguf, type GgufTensor } from '../src/model/fixture/gguf-writer.js';
import { fixtureTensors } from '../src/model/fixture/qwen2-fixture.js';
import { PRESETS } from '../src/model/fixture/presets.js';
import { Prng } from '../src/model/fixture/prng.js';
import { dequantize, fromHalfBits, rowBytes, sampleWeights, toHalfBits, type GgmlTypeName, type WeightFill } from '../src/model/fixture/quantize.js';

describe('half floats', () => {
  it('converts known values exactly', () => {
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(toHalfBits(65504)).toBe(0x7bff);
    expect(toHalfBits(1e6)).toBe(0x7c00);
    expect(toHalfBits(2 ** -24)).toBe(0x0001);
    expect(toHalfBits(1e-9)).toBe(0);
    // 1 + 2^-11 lies halfway between two halves; ties go to the even one.
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00);
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });

  it('round-trips every finite half', () => {
    const wrong: number[] = [];
    for (let bits = 0; bits <= 0xffff; bits++) {
      const value = fromHalfBits(bits);
      if (Number.isFinite(value) && toHalfBits(value) !== bits) wrong.push(bits);
    }
    expect(wrong).toEqual([]);
  });
});

describe('seeded weights', () => {
  it('repeat for the same seed and name and differ otherwise', () => {
    const draw = (seed: number, name: string) => {
      const rng = new Prng(seed, name);
      return Array.from({ length: 8 }, () => rng.nextU32());
    };
    expect(draw(1, 'blk.0.attn_q.weight')).toEqual(draw(1, 'blk.0.attn_q.weight'));
    expect(draw(1, 'blk.0.attn_q.weight')).not.toEqual(draw(2, 'blk.0.attn_q.weight'));
    expect(draw(1, 'blk.0.attn_q.weight')).not.toEqual(draw(1, 'blk.0.attn_k.weight'));
    expect(draw(1, 'x')).not.toEqual(draw(1 + 2 ** 32, 'x'));
  });

  it.each(['Q4_0', 'Q8_0', 'F16', 'F32'] as const)('fill %s tensors with small, varied, centred values', (type) => {
    const count = 32 * 512;
    const out = Buffer.alloc(rowBytes(type, count));
    const end = sampleWeights(type, count, { kind: 'uniform', amplitude: 0.02 }, new Prng(7, 'w'), out, 0);
    expect(end).toBe(out.length);
    const values = dequantize(type, out, count);
    const max = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const mean = values.reduce((s, v) => s + v, 0) / count;
    expect(max).toBeLessThanOrEqual(0.02 * 1.001);
    expect(max).toBeGreaterThan(0.01);
    expect(Math.abs(mean)).toBeLessThan(0.002);
    expect(new Set(values).size).toBeGreaterThan(64);
  });

  it('fill norm gains with ones', () => {
    const out = Buffer.alloc(4 * 16);
    sampleWeights('F32', 16, { kind: 'constant', value: 1 }, new Prng(1), out, 0);
    expect([...dequantize('F32', out, 16)]).toEqual(new Array(16).fill(1));
  });

  it('refuse rows that are not whole blocks', () => {
    expect(() => rowBytes('Q4_0', 48)).toThrow(/multiple of 32/);
  });
});

describe('GGUF files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hestia-gguf-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function sampled(name: string, dims: number[], type: GgmlTypeName, fill: WeightFill): GgufTensor {
    const rng = new Prng(3, name);
    return { name, dims, type, writeRows: (rows, out, offset) => sampleWeights(type, rows * (dims[0] ?? 1), fill, rng, out, offset) };
  }

  it('are read back by node-llama-cpp with every value, shape and aligned offset', async () => {
    const uniform: WeightFill = { kind: 'uniform', amplitude: 0.5 };
    // Odd row counts make tensors whose sizes are not multiples of the alignment.
    const tensors = [
      sampled('a.weight', [5], 'F32', uniform),
      sampled('b.weight', [32, 3], 'Q4_0', uniform),
      sampled('c.weight', [64, 7], 'Q8_0', uniform),
      sampled('d.weight', [3, 3], 'F16', uniform),
    ];
    const path = join(dir, 'small.gguf');
    const bytes = await writeGguf(
      path,
      [
        ['general.architecture', { type: 'string', value: 'qwen2' }],
        ['test.count', { type: 'u32', value: 4000000000 }],
        ['test.delta', { type: 'i32', value: -5 }],
        ['test.ratio', { type: 'f32', value: 0.25 }],
        ['test.flag', { type: 'bool', value: true }],
        ['test.words', { type: 'string[]', value: ['ĠHello', '<｜User｜>', ''] }],
        ['test.kinds', { type: 'i32[]', value: [1, -3, 5] }],
      ],
      tensors,
    );
    expect((await stat(path)).size).toBe(bytes);

    const info = await readGgufFileInfo(path, { logWarnings: false });
    expect(info.version).toBe(3);
    const meta = info.metadata as unknown as { general: Record<string, unknown>; test: Record<string, unknown> };
    expect(meta.general.alignment).toBe(GGUF_ALIGNMENT);
    expect(meta.test).toEqual({ count: 4000000000, delta: -5, ratio: 0.25, flag: true, words: ['ĠHello', '<｜User｜>', ''], kinds: [1, -3, 5] });
    const infos = info.tensorInfo ?? [];
    expect(infos.map((t) => [t.name, t.dimensions.map(Number), t.ggmlType])).toEqual([
      ['a.weight', [5], LlamaGgmlType.F32],
      ['b.weight', [32, 3], LlamaGgmlType.Q4_0],
      ['c.weight', [64, 7], LlamaGgmlType.Q8_0],
      ['d.weight', [3, 3], LlamaGgmlType.F16],
    ]);

    // Each tensor's bytes sit at its aligned offset and decode to what a fresh generator draws.
    const handle = await open(path, 'r');
    try {
      for (const [i, t] of tensors.entries()) {
        const fileOffset = Number(infos[i]?.fileOffset);
        expect(fileOffset % GGUF_ALIGNMENT).toBe(0);
        const count = t.dims.reduce((a, b) => a * b, 1);
        const size = rowBytes(t.type, t.dims[0] ?? 1) * (count / (t.dims[0] ?? 1));
        const onDisk = Buffer.alloc(size);
        await handle.read(onDisk, 0, size, fileOffset);
        const expected = Buffer.alloc(size);
        sampled(t.name, [...t.dims], t.type, uniform).writeRows(count / (t.dims[0] ?? 1), expected, 0);
        expect(dequantize(t.type, onDisk, count)).toEqual(dequantize(t.type, expected, count));
      }
    } finally {
      await handle.close();
    }
  });

  it('are not left behind, even half-written, when writing is aborted', async () => {
    const controller = new AbortController();
    const big = fixtureTensors(PRESETS['twin-lite'], 1);
    const path = join(dir, 'aborted.gguf');
    const writing = writeGguf(path, [['general.architecture', { type: 'string', value: 'qwen2' }]], big, { signal: controller.signal });
    let settled = false;
    writing.then(
      () => (settled = true),
      () => (settled = true),
    );
    // Abort once data is flowing into the partial file.
    while (!settled) {
      const size = await stat(`${path}.partial`).then((s) => s.size, () => 0);
      if (size > 16 * 1024 * 1024) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    controller.abort(new Error('stop'));
    await expect(writing).rejects.toThrow('stop');
    expect(await readdir(dir)).not.toContain('aborted.gguf');
    expect(await readdir(dir)).not.toContain('aborted.gguf.partial');
  });
});
