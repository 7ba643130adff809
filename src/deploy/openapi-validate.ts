/**
 * Client-side validation of objects against the API server's own OpenAPI v3 schemas (one document per group-version,
 * as served under `/openapi/v3/<api|apis/group>/<version>`), with ajv. The schemas are rewritten first so that they
 * check what the server's strict apply checks before admission:
 * - unknown fields (`fieldValidation=Strict`): every object schema with `properties` and no `additionalProperties`
 *   or `x-kubernetes-preserve-unknown-fields` gets `additionalProperties: false`;
 * - types, `format: int32/int64` ranges, `required`, `enum`, int-or-string (`oneOf` in built-in types,
 *   `x-kubernetes-int-or-string` in CRDs), `x-kubernetes-embedded-resource` (apiVersion/kind/metadata allowed);
 * - `x-kubernetes-list-type: map|set` (duplicate keys or items are rejected by server-side apply).
 * What schemas cannot decide is reported, not guessed: `x-kubernetes-validations` (CEL rules) mark the object as
 * needing the server (see preflight.ts).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

type Schema = Record<string, unknown>;

export interface SchemaDocument {
  readonly components?: { readonly schemas?: Record<string, Schema> };
}

export interface SchemaIssue {
  /** `.spec.template.spec.containers[0].image` (the server's spelling). */
  readonly path: string;
  readonly message: string;
}

export interface ObjectCheck {
  readonly issues: readonly SchemaIssue[];
  /** The object's schema has CEL rules (`x-kubernetes-validations`) that only the server evaluates. */
  readonly celRules: boolean;
}

const INT_RANGES: Record<string, [number, number]> = {
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** Rewrites one schema node (recursively) for strict checking; returns whether CEL rules appear in it. */
function strictify(node: unknown, cel: { found: boolean }): void {
  if (!node || typeof node !== 'object') return;
  const s = node as Schema;
  if (s['x-kubernetes-validations']) cel.found = true;
  if (s['x-kubernetes-int-or-string'] === true) {
    delete s.type;
    s.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (s['x-kubernetes-embedded-resource'] === true && s.properties) {
    const props = s.properties as Schema;
    for (const k of ['apiVersion', 'kind']) props[k] ??= { type: 'string' };
    props.metadata ??= { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  }
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (s.properties && s.additionalProperties === undefined && !preserve) s.additionalProperties = false;
  for (const sub of Object.values((s.properties as Schema | undefined) ?? {})) strictify(sub, cel);
  for (const k of ['additionalProperties', 'items', 'not']) if (s[k] && typeof s[k] === 'object') strictify(s[k], cel);
  for (const k of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(s[k])) (s[k] as unknown[]).forEach((n) => strictify(n, cel));
}

/** Which components (by name) carry CEL rules, directly or through their references. */
function celComponents(schemas: Record<string, Schema>): Set<string> {
  const direct = new Map<string, boolean>();
  const refs = new Map<string, string[]>();
  for (const [name, s] of Object.entries(schemas)) {
    const text = JSON.stringify(s);
    direct.set(name, text.includes('"x-kubernetes-validations"'));
    refs.set(
      name,
      [...text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]),
    );
  }
  const out = new Set<string>();
  const visit = (name: string, seen: Set<string>): boolean => {
    if (out.has(name)) return true;
    if (seen.has(name)) return false;
    seen.add(name);
    const hit = !!direct.get(name) || (refs.get(name) ?? []).some((r) => visit(r, seen));
    if (hit) out.add(name);
    return hit;
  };
  for (const name of Object.keys(schemas)) visit(name, new Set());
  return out;
}

function listKeyword(ajv: Ajv): void {
  ajv.addKeyword({
    keyword: 'x-kubernetes-list-type',
    type: 'array',
    schemaType: 'string',
    errors: true,
    validate: function listType(this: unknown, kind: string, data: unknown[], parent?: Schema) {
      const v = listType as unknown as { errors?: Partial<ErrorObject>[] };
      const keys = (parent?.['x-kubernetes-list-map-keys'] as string[] | undefined) ?? [];
      if (kind !== 'map' && kind !== 'set') return true;
      const seen = new Set<string>();
      for (const item of data) {
        const id = kind === 'map' && item && typeof item === 'object' ? JSON.stringify(keys.map((k) => (item as Schema)[k] ?? null)) : JSON.stringify(item);
        if (seen.has(id)) {
          v.errors = [
            { keyword: 'x-kubernetes-list-type', message: `duplicate entries for ${kind === 'map' ? `key [${keys.join(',')}]` : 'item'}=${id}`, params: {} },
          ];
          return false;
        }
        seen.add(id);
      }
      return true;
    },
  });
}

function newAjv(): Ajv {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    verbose: true,
    validateFormats: true,
    discriminator: false,
    inlineRefs: false,
    code: { optimize: false },
  });
  for (const [name, [min, max]] of Object.entries(INT_RANGES)) {
    ajv.addFormat(name, { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= min && n <= max });
  }
  for (const name of ['int-or-string', 'byte', 'date-time', 'double', 'float', 'date', 'uri', 'email', 'password', 'quantity']) ajv.addFormat(name, true);
  listKeyword(ajv);
  return ajv;
}

/** Group-version-kind of a top-level component (`x-kubernetes-group-version-kind`). */
function gvkNames(schemas: Record<string, Schema>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, s] of Object.entries(schemas)) {
    for (const g of (s['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[] | undefined) ?? []) {
      out.set(`${g.group}/${g.version}/${g.kind}`, name);
    }
  }
  return out;
}

/** Validates objects of one group-version against its OpenAPI v3 document (compiled lazily, per kind). */
export class GroupVersionValidator {
  private readonly ajv: Ajv;
  private readonly id: string;
  private readonly kinds: Map<string, string>;
  private readonly cel: Set<string>;
  private readonly compiled = new Map<string, ValidateFunction>();

  /** Takes `doc` over: its schemas are rewritten in place (a freshly fetched document is not copied, it is large). */
  constructor(doc: SchemaDocument, id: string) {
    const schemas = doc.components?.schemas ?? {};
    this.cel = celComponents(schemas);
    const found = { found: false };
    for (const s of Object.values(schemas)) strictify(s, found);
    this.ajv = newAjv();
    this.id = id;
    this.ajv.addSchema({ $id: id, components: { schemas } });
    this.kinds = gvkNames(schemas);
  }

  /** Whether the document defines `kind` of `group/version`. */
  has(group: string, version: string, kind: string): boolean {
    return this.kinds.has(`${group}/${version}/${kind}`);
  }

  check(group: string, version: string, obj: unknown): ObjectCheck {
    const kind = (obj as { kind?: string }).kind ?? '';
    const name = this.kinds.get(`${group}/${version}/${kind}`);
    if (!name) return { issues: [{ path: '.kind', message: `no schema for ${kind} in ${group ? `${group}/` : ''}${version}` }], celRules: false };
    let fn = this.compiled.get(name);
    if (!fn) {
      fn = this.ajv.compile({ $ref: `${this.id}#/components/schemas/${name}` });
      this.compiled.set(name, fn);
    }
    const ok = fn(withoutNulls(obj));
    return { issues: ok ? [] : issuesOf(fn.errors ?? []), celRules: this.cel.has(name) };
  }
}

/** A `null` field means "unset" to the API server: drop it before checking (as the server's decoding does). */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!v || typeof v !== 'object') return v;
  const out: Schema = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = withoutNulls(x);
  return out;
}

/** `/spec/template/containers/0/image` → `.spec.template.containers[0].image`. */
function dotted(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('');
}

/** ajv errors → one issue per path, in the server's wording where there is one. */
export function issuesOf(errors: readonly ErrorObject[]): SchemaIssue[] {
  const out = new Map<string, SchemaIssue>();
  const add = (path: string, message: string) => {
    if (!out.has(`${path}|${message}`)) out.set(`${path}|${message}`, { path, message });
  };
  // oneOf/anyOf report every branch: keep the summary for those paths, not each branch's type error
  const alternatives = new Set(errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => e.instancePath));
  for (const e of errors) {
    const at = dotted(e.instancePath);
    if (e.keyword === 'additionalProperties') {
      add(`${at}.${(e.params as { additionalProperty: string }).additionalProperty}`, 'field not declared in schema');
    } else if (e.keyword === 'required') {
      add(`${at}.${(e.params as { missingProperty: string }).missingProperty}`, 'Required value');
    } else if (e.keyword === 'enum') {
      add(
        at,
        `Unsupported value: ${JSON.stringify(e.data)}: supported values: ` +
          `${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`,
      );
    } else if (e.keyword === 'oneOf' || e.keyword === 'anyOf') {
      add(at, `expected one of integer or string (int-or-string) or number, got ${typeName(e.data)}`);
    } else if (e.keyword === 'type' && alternatives.has(e.instancePath)) {
      continue;
    } else if (e.keyword === 'type') {
      add(at, `expected ${(e.params as { type: string }).type}, got ${typeName(e.data)}`);
    } else if (e.keyword === 'format') {
      add(at, `${JSON.stringify(e.data)} is out of range for ${(e.params as { format: string }).format}`);
    } else {
      add(at, e.message ?? e.keyword);
    }
  }
  return [...out.values()];
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'number' && Number.isInteger(v) ? 'integer' : typeof v;
}
