/**
 * The cheap part of the all-or-nothing preflight: objects that go into a namespace this run creates are checked
 * client-side against the server's OpenAPI v3 schema (openapi.ts), so a typo, a wrong type, a bad enum value, a
 * missing required field or a duplicate list key is rejected before any request that writes or dry-runs.
 *
 * Which objects still get a server-side dry run (decided here, conservatively):
 * - every object whose namespace already exists, and every cluster-scoped object: there the server also runs value
 *   validation and admission (Pod Security, ResourceQuota, ValidatingAdmissionPolicies and webhooks, immutable fields,
 *   field-manager conflicts, CEL rules), which no schema can decide;
 * - every object whose group-version publishes no OpenAPI v3 document.
 * Skipped: objects in a namespace this run creates. For those the server's dry run could only ever get as far as
 * decoding and strict field validation (the namespace does not exist yet, so admission answers 404 before value
 * validation), which is exactly what the schema check covers; anything the server rejects when they are really
 * written is rolled back by deleting the namespace this run created (deploy.ts, namespace-cleanup.ts), as before.
 */
import type { KubeObject } from '../render/types.js';
import type { DeployContext } from './context.js';
import { describe, keyOf } from './context.js';
import { splitApiVersion } from './resources.js';

export interface SchemaRejection {
  readonly object: string;
  readonly message: string;
}

export interface SchemaVerdict {
  /** Objects the schema rejects (nothing may be written). */
  readonly rejections: readonly SchemaRejection[];
  /** Keys (keyOf) of objects whose schema accepted them. */
  readonly accepted: ReadonlySet<string>;
  /** Keys of accepted objects whose schema has CEL rules only the server evaluates. */
  readonly celRules: ReadonlySet<string>;
}

/** Checks each object against its group-version's OpenAPI v3 schema; objects without a published schema are left out. */
export async function checkSchemas(ctx: DeployContext, objects: readonly KubeObject[]): Promise<SchemaVerdict> {
  if (!objects.length) return { rejections: [], accepted: new Set(), celRules: new Set() };
  // loaded on first use: ajv and the schema compiler cost ~0.3 s of startup that updates and no-op deploys never need
  const { schemasOf } = await import('./openapi.js');
  const schemas = schemasOf(ctx.client);
  const rejections: SchemaRejection[] = [];
  const accepted = new Set<string>();
  const celRules = new Set<string>();
  const versions = [...new Set(objects.map((o) => o.apiVersion))];
  const validators = new Map(await Promise.all(versions.map(async (v) => [v, await schemas.validator(v)] as const)));
  for (const obj of objects) {
    const validator = validators.get(obj.apiVersion);
    const { group, version } = splitApiVersion(obj.apiVersion);
    if (!validator?.has(group, version, obj.kind)) continue;
    const { issues, celRules: cel } = validator.check(group, version, obj);
    if (issues.length) {
      const shown = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`);
      if (issues.length > 5) shown.push(`and ${issues.length - 5} more`);
      rejections.push({ object: describe(obj), message: `${shown.join('; ')} (checked against the API server's OpenAPI schema)` });
    } else {
      accepted.add(keyOf(obj));
      if (cel) celRules.add(keyOf(obj));
    }
  }
  return { rejections, accepted, celRules };
}

/**
 * Whether `obj` can be written without a server-side dry run: its schema accepted it and it goes into a namespace
 * this run creates (see the file comment for why nothing more could be checked there before writing).
 */
export function skipsServerDryRun(obj: KubeObject, verdict: SchemaVerdict, newNamespaces: ReadonlySet<string>): boolean {
  const ns = obj.metadata.namespace;
  return !!ns && newNamespaces.has(ns) && verdict.accepted.has(keyOf(obj));
}
