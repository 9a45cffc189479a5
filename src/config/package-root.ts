// Where Hestia's own files (the demo home, grammars) live, found from this module rather than the
// working directory, so `hestia run` works from any directory and from an installed package.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'hestia') {
      cached = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find Hestia's package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The home used when the configuration names none. */
export function demoHomeFile(): string {
  return join(packageRoot(), 'config', 'demo-home.json');
}
