/**
 * `berth init` on a terminal: asks for every value not given by flag, the default in brackets (enter keeps it),
 * and asks again with the validator's message when an answer makes the starter invalid.
 */
import { createInterface } from 'node:readline/promises';
import { DeclarationError, showValue } from '../declaration/errors.js';
import { starterPlatform, type StarterOptions } from './starter.js';

/** What init needs: the starter's options plus whether to write the CI workflow. */
export interface InitAnswers extends StarterOptions {
  /** Write the GitHub Actions deploy workflow. @default false */
  readonly ci?: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One question: the key it fills, its label, its default from the answers so far, and how to read a typed line. */
interface Question {
  readonly key: keyof StarterOptions;
  readonly label: string;
  readonly fallback: (a: StarterOptions) => string;
  readonly read: (line: string) => StarterOptions[keyof StarterOptions];
}

const QUESTIONS: readonly Question[] = [
  { key: 'name', label: 'Service name', fallback: () => 'web', read: (l) => l },
  { key: 'image', label: 'Container image (pinned tag or digest)', fallback: (a) => `registry.example.com/${a.name ?? 'web'}:1.0.0`, read: (l) => l },
  { key: 'host', label: 'Public host name', fallback: (a) => `${a.name ?? 'web'}.example.com`, read: (l) => l },
  { key: 'environments', label: 'Environments (comma-separated, production-like first)', fallback: () => 'production', read: splitList },
  { key: 'port', label: 'Port the container listens on', fallback: () => '8080', read: readPort },
];

/** `a, b,,c` → ['a', 'b', 'c']. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
}

function readPort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(port)) throw new Error(`port ${text}: must be a whole number, e.g. 8080`);
  return port;
}

/**
 * Asks on `output` for every value `given` lacks (and, unless `askCi` is false, whether to add the workflow),
 * reading lines from `input`; an ended input keeps the remaining defaults.
 */
export async function askInit(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, given: StarterOptions, askCi: boolean): Promise<InitAnswers> {
  const rl = createInterface({ input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const next = async (prompt: string): Promise<string | undefined> => {
    output.write(prompt);
    const line = await lines.next();
    return line.done ? undefined : String(line.value).trim();
  };
  try {
    const answers: Mutable<InitAnswers> = { ...given };
    for (const q of QUESTIONS) {
      if (given[q.key] === undefined) await askOne(q, answers, next, (text) => output.write(text));
    }
    if (askCi) answers.ci = /^y(es)?$/i.test((await next('Add a GitHub Actions deploy workflow? [y/N] ')) ?? '');
    return answers;
  } finally {
    rl.close();
  }
}

/** Asks `q` until its answer (or an empty line's default) keeps the starter valid; an ended input keeps the default. */
async function askOne(
  q: Question,
  answers: Mutable<StarterOptions>,
  next: (prompt: string) => Promise<string | undefined>,
  say: (text: string) => void,
): Promise<void> {
  const fallback = q.fallback(answers);
  for (;;) {
    const line = await next(`${q.label} [${fallback}]: `);
    const text = line === undefined || line === '' ? fallback : line;
    try {
      const value = q.read(text);
      starterPlatform({ ...answers, [q.key]: value });
      Object.assign(answers, { [q.key]: value });
      return;
    } catch (error) {
      if (line === undefined) throw error;
      say(`${reason(error, q.key)}\n`);
    }
  }
}

/** Why an answer was refused: the validator's issues about that field (all of them when none is), one per line. */
export function reason(error: unknown, key: keyof StarterOptions): string {
  if (!(error instanceof DeclarationError)) return error instanceof Error ? error.message : String(error);
  const mine = error.issues.filter((i) => (key === 'environments' ? i.path.startsWith('environments') : i.path.endsWith(`.${key}`)));
  return (mine.length > 0 ? mine : error.issues).map((i) => `${showValue(i.value)}: ${i.message}. Fix: ${i.fix}`).join('\n');
}
