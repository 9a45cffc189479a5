#!/usr/bin/env node
// The `hestia` entry point: the only file that touches `process` (signals, exit codes).
import type { Command } from './io.js';

const COMMANDS: Record<string, { describe: string; load: () => Promise<Command> }> = {
  run: { describe: 'run the daemon', load: async () => (await import('./commands/run.js')).run },
  say: { describe: 'send a request to a running daemon and print the reply', load: async () => (await import('./commands/say.js')).say },
  plan: { describe: 'plan JSON-line requests from stdin against a home file, executing nothing', load: async () => (await import('./commands/plan.js')).plan },
  doctor: { describe: 'check the configuration, home, broker, model and GPU Hestia would run with', load: async () => (await import('./commands/doctor.js')).doctor },
  bench: { describe: 'benchmark the model planner on homes of 50, 200 and 2000 entities', load: async () => (await import('./commands/bench.js')).bench },
  'fixture-model': { describe: 'write a generated GGUF test model (real tokenizer, random weights)', load: async () => (await import('./commands/fixture-model.js')).fixtureModel },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  hestia ${name.padEnd(13)} ${c.describe}`);
  return `usage: hestia <command> [options]\n\n${lines.join('\n')}\n\nRun "hestia <command> --help" for a command's options.\n`;
}

async function main(): Promise<number> {
  const [name, ...argv] = process.argv.slice(2);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    process.stderr.write(`hestia: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      // A second signal means "now": the first one is already stopping things gracefully.
      process.exit(sig === 'SIGINT' ? 130 : 143);
    }
    controller.abort(new Error(`received ${sig}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const command = await entry.load();
  return command({
    argv,
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`hestia: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
