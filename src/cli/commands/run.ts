import type { CliIo } from '../io.js';

// Being written.
export async function run(io: CliIo): Promise<number> {
  io.stderr.write('hestia run: not available yet\n');
  return 1;
}
