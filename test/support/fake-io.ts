// A CliIo for running `hestia` commands in-process: output captured, signal under the test's control.
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli/io.js';

export type FakeIo = CliIo & { out: () => string; err: () => string };

export function fakeIo(argv: string[], env: Record<string, string> = {}, signal = new AbortController().signal): FakeIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { argv, env, stdin: new PassThrough(), stdout, stderr, signal, out: () => out, err: () => err };
}
