import type { CliIo } from '../io.js';

// Being written.
export async function plan(io: CliIo): Promise<number> {
  io.stderr.write('hestia plan: not available yet\n');
  return 1;
}
