// What a CLI command gets from the entry file. Commands never touch `process` themselves: the entry
// file owns signals and exit codes, so commands can be run in-process by tests.
export interface CliIo {
  /** Arguments after the command name. */
  argv: string[];
  env: Record<string, string | undefined>;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Aborted on SIGINT / SIGTERM. */
  signal: AbortSignal;
}

/** A command resolves to the process exit code. */
export type Command = (io: CliIo) => Promise<number>;
