/** How deploy/diff/prune/status talk to people and machines: live progress on a terminal, plain lines otherwise, JSON. */
import type { FieldChange } from './compare.js';

export type Action = 'created' | 'configured' | 'unchanged' | 'pruned' | 'failed';

export interface ObjectEvent {
  readonly action: Action;
  /** e.g. `Deployment production/api` */
  readonly object: string;
  readonly changes?: readonly FieldChange[];
  readonly message?: string;
  readonly dryRun?: boolean;
}

export interface WaitRow {
  readonly object: string;
  readonly ready: boolean;
  readonly message: string;
}

export interface Reporter {
  phase(name: string, detail?: string): void;
  object(ev: ObjectEvent): void;
  info(message: string): void;
  warn(message: string): void;
  progress(rows: readonly WaitRow[]): void;
  /** Final result; JSON reporters print everything here. */
  done(summary: Record<string, unknown>): void;
}

type Stream = NodeJS.WritableStream;

const VERB: Record<Action, string> = {
  created: 'created',
  configured: 'configured',
  unchanged: 'unchanged',
  pruned: 'pruned',
  failed: 'FAILED',
};

function fmt(v: unknown): string {
  if (v === undefined) return '(none)';
  const s = JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

export function objectLine(ev: ObjectEvent, showChanges = true): string {
  const verb = ev.dryRun ? `would be ${VERB[ev.action]}` : VERB[ev.action];
  const lines = [`${ev.object} ${verb}${ev.message ? `: ${ev.message}` : ''}`];
  for (const c of showChanges ? (ev.changes ?? []) : []) lines.push(`    ${c.path}: ${fmt(c.before)} -> ${fmt(c.after)}`);
  return lines.join('\n');
}

/** Plain lines (CI logs, pipes); progress rows are printed only when they change. */
export class LineReporter implements Reporter {
  private readonly last = new Map<string, string>();
  constructor(
    protected readonly out: Stream,
    private readonly showChanges = false,
    private readonly quietUnchanged = true,
  ) {}
  phase(name: string, detail?: string): void {
    this.out.write(`==> ${name}${detail ? ` ${detail}` : ''}\n`);
  }
  object(ev: ObjectEvent): void {
    if (ev.action === 'unchanged' && this.quietUnchanged) return;
    this.out.write(objectLine(ev, this.showChanges || !!ev.dryRun) + '\n');
  }
  info(message: string): void {
    this.out.write(`${message}\n`);
  }
  warn(message: string): void {
    this.out.write(`warning: ${message}\n`);
  }
  progress(rows: readonly WaitRow[]): void {
    for (const r of rows) {
      const line = `${r.object}: ${r.message}`;
      if (this.last.get(r.object) === line) continue;
      this.last.set(r.object, line);
      this.out.write(`    ${r.ready ? 'ready  ' : 'waiting'} ${line}\n`);
    }
  }
  done(_summary: Record<string, unknown>): void {}
}

/** `--quiet`: warnings, info (the summary) and errors only; no phases, objects or progress. */
export class QuietReporter extends LineReporter {
  override phase(): void {}
  override object(): void {}
  override progress(): void {}
}

/**
 * A terminal: the wait table is redrawn in place. Each row is cut to the terminal's width, so every row is one
 * screen line and moving the cursor up by the rows drawn erases exactly the last frame (no leftovers when narrow).
 */
export class TtyReporter extends LineReporter {
  private drawn = 0;
  constructor(out: Stream & { columns?: number }, showChanges = false, quietUnchanged = true) {
    super(out, showChanges, quietUnchanged);
  }
  override phase(name: string, detail?: string): void {
    this.clear();
    super.phase(name, detail);
  }
  override object(ev: ObjectEvent): void {
    this.clear();
    super.object(ev);
  }
  override info(message: string): void {
    this.clear();
    super.info(message);
  }
  override warn(message: string): void {
    this.clear();
    super.warn(message);
  }
  override progress(rows: readonly WaitRow[]): void {
    this.clear();
    const shown = rows.filter((r) => !r.ready).slice(0, 20);
    const ready = rows.length - rows.filter((r) => !r.ready).length;
    const width = Math.max(20, ((this.out as { columns?: number }).columns ?? 80) - 1);
    const fit = (line: string) => (line.length > width ? `${line.slice(0, width - 1)}\u2026` : line);
    const lines = [`    ${ready}/${rows.length} ready`, ...shown.map((r) => `    \u2026 ${r.object}: ${r.message}`)].map(fit);
    this.out.write(lines.join('\n') + '\n');
    this.drawn = lines.length;
  }
  override done(summary: Record<string, unknown>): void {
    this.clear();
    super.done(summary);
  }
  private clear(): void {
    if (this.drawn > 0) this.out.write(`\u001b[${this.drawn}A\u001b[J`);
    this.drawn = 0;
  }
}

/** Machines: one JSON document on stdout at the end (events included). */
export class JsonReporter implements Reporter {
  private readonly events: Record<string, unknown>[] = [];
  private lastRows: readonly WaitRow[] = [];
  constructor(private readonly out: Stream) {}
  phase(name: string, detail?: string): void {
    this.events.push({ type: 'phase', name, detail });
  }
  object(ev: ObjectEvent): void {
    this.events.push({ type: 'object', ...ev });
  }
  info(message: string): void {
    this.events.push({ type: 'info', message });
  }
  warn(message: string): void {
    this.events.push({ type: 'warning', message });
  }
  progress(rows: readonly WaitRow[]): void {
    this.lastRows = rows;
  }
  done(summary: Record<string, unknown>): void {
    this.out.write(JSON.stringify({ ...summary, readiness: this.lastRows, events: this.events }, null, 2) + '\n');
  }
}

/** Collects everything (tests, benchmark). */
export class MemoryReporter implements Reporter {
  readonly events: Record<string, unknown>[] = [];
  readonly objects: ObjectEvent[] = [];
  rows: readonly WaitRow[] = [];
  summary: Record<string, unknown> | undefined;
  phase(name: string, detail?: string): void {
    this.events.push({ type: 'phase', name, detail });
  }
  object(ev: ObjectEvent): void {
    this.objects.push(ev);
  }
  info(message: string): void {
    this.events.push({ type: 'info', message });
  }
  warn(message: string): void {
    this.events.push({ type: 'warning', message });
  }
  progress(rows: readonly WaitRow[]): void {
    this.rows = rows;
  }
  done(summary: Record<string, unknown>): void {
    this.summary = summary;
  }
}

/** `normal`: changed objects; `verbose`: unchanged ones too; `quiet`: see QuietReporter. */
export type Verbosity = 'quiet' | 'normal' | 'verbose';

export function makeReporter(output: 'text' | 'json', stream: Stream & { isTTY?: boolean }, showChanges = false, verbosity: Verbosity = 'normal'): Reporter {
  if (output === 'json') return new JsonReporter(stream);
  if (verbosity === 'quiet') return new QuietReporter(stream, showChanges);
  const quietUnchanged = verbosity !== 'verbose';
  return stream.isTTY ? new TtyReporter(stream, showChanges, quietUnchanged) : new LineReporter(stream, showChanges, quietUnchanged);
}
