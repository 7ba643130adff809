/** One problem in a declaration, precise enough to fix without reading berth's source. */
export interface DeclarationIssue {
  /** Path of the field, e.g. `services[2].image` or `environments.staging.services.api.host`. */
  readonly path: string;
  /** Name of the service concerned, when there is one. */
  readonly service?: string;
  /** Name of the job concerned, when there is one. */
  readonly job?: string;
  /** The offending value (omitted when the field is missing). */
  readonly value?: unknown;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** 1-based line in the YAML file, when the declaration came from YAML. */
  readonly line?: number;
}

/** Thrown when a declaration is invalid; `message` lists every issue, one per line. */
export class DeclarationError extends Error {
  constructor(
    readonly issues: readonly DeclarationIssue[],
    readonly file?: string,
  ) {
    super(formatIssues(issues, file));
    this.name = 'DeclarationError';
  }
}

/** Renders a value for an error message: strings quoted, objects as compact JSON. */
export function showValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** `<file>:<line>: <path> (service "<name>"): <value>: <message>. Fix: <fix>` — one issue per line. */
export function formatIssue(issue: DeclarationIssue, file?: string): string {
  const where = file ? `${file}${issue.line ? `:${issue.line}` : ''}: ` : issue.line ? `line ${issue.line}: ` : '';
  const service = issue.service ? ` (service "${issue.service}")` : issue.job ? ` (job "${issue.job}")` : '';
  const value = 'value' in issue && issue.value !== undefined ? ` ${showValue(shownValue(issue))}:` : '';
  return `${where}${issue.path}${service}:${value} ${issue.message}. Fix: ${issue.fix}`;
}

/** A field under `env` / `secretEnv` (of a service, an override, a sidecar or a job): its values may be secrets. */
const SECRET_BEARING = /(^|\.)(env|secretEnv)(\.|\[|$)/;

/** The value as it may be printed: under env/secretEnv only the variable's own name is shown, never its value. */
export function shownValue(issue: DeclarationIssue): unknown {
  if (!SECRET_BEARING.test(issue.path)) return issue.value;
  const last = issue.path.split('.').pop();
  return typeof issue.value === 'string' && issue.value === last ? issue.value : '(value hidden)';
}

function formatIssues(issues: readonly DeclarationIssue[], file?: string): string {
  const head = `${issues.length} problem${issues.length === 1 ? '' : 's'} in the declaration${file ? ` ${file}` : ''}:`;
  return [head, ...issues.map((i) => `  ${formatIssue(i, file)}`)].join('\n');
}

/** Bad input that is not a declaration problem (a flag value, an environment a stage cannot render): exit 2. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
