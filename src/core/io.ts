/** The streams and environment a command runs with; tests and the wizard pass their own. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Where SIGINT and SIGTERM arrive (the process); absent in tests that run main() in-process. */
  signals?: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
}
