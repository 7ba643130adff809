/** A CommandIo that captures output, for calling `gitops` like the CLI does. */
import { Writable } from 'node:stream';
import type { CommandIo } from '../../src/cli/command.js';

export interface CapturedIo extends CommandIo {
  readonly out: () => string;
  readonly err: () => string;
}

export function captureIo(cwd: string, env: Record<string, string>): CapturedIo {
  const chunks = { out: [] as string[], err: [] as string[] };
  const sink = (into: string[]) =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        into.push(chunk.toString());
        done();
      },
    });
  return {
    stdout: sink(chunks.out),
    stderr: sink(chunks.err),
    cwd,
    env,
    signal: new AbortController().signal,
    out: () => chunks.out.join(''),
    err: () => chunks.err.join(''),
  };
}
