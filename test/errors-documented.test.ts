import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors.js';

describe('error codes', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  it('are all documented in README', () => {
    const missing = Object.keys(ERROR_CODES).filter((code) => !readme.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
  it('follow the HESTIA_ naming', () => {
    for (const code of Object.keys(ERROR_CODES)) expect(code).toMatch(/^HESTIA_[A-Z_]+$/);
  });
});
