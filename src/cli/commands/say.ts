import type { CliIo } from '../io.js';

// Being written.
export async function say(io: CliIo): Promise<number> {
  io.stderr.write('hestia say: not available yet\n');
  return 1;
}
