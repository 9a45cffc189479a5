// Generates src/plan/plan.generated.ts from grammars/plan.schema.json, so the schema stays the one
// source of the Plan type. Run with `npm run gen:types`; a test fails when the output is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

export async function renderPlanTypes(schemaPath: string): Promise<string> {
  const schema = JSON.parse(await readFile(schemaPath, 'utf8'));
  return compile(schema, 'Plan', {
    bannerComment: '// Generated from grammars/plan.schema.json by `npm run gen:types`. Do not edit.',
    additionalProperties: false,
    strictIndexSignatures: true,
    style: { singleQuote: true },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = new URL('../../../', import.meta.url);
  const out = await renderPlanTypes(fileURLToPath(new URL('grammars/plan.schema.json', root)));
  await writeFile(new URL('src/plan/plan.generated.ts', root), out);
}
