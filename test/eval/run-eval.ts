// Entry for `npm run eval` (compiled to dist/test/eval/run-eval.js). The only file here that
// touches `process`.
import { runEval } from './eval-command.js';

process.exitCode = await runEval(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
