/**
 * The JSON Schema of the declaration (schema/platform.schema.json, for editors via yaml-language-server),
 * converted from PLATFORM_SHAPE, the structure the validator itself checks: the two cannot disagree.
 * The schema covers structure only (types, allowed and required keys); berth's validator adds the value
 * rules, line numbers and fixes on top.
 */
import { MAX_STRING_CHARS, PLATFORM_SHAPE, type Shape } from './shape.js';

export type JsonSchema = { readonly [key: string]: unknown };

/** Where the published schema lives in the package (and the URL-less path `init` writes). */
export const SCHEMA_FILE = 'schema/platform.schema.json';

/** One shape as a JSON Schema (draft-07) fragment. */
export function shapeToJsonSchema(shape: Shape): JsonSchema {
  switch (shape.kind) {
    case 'string':
      return { type: 'string', maxLength: MAX_STRING_CHARS };
    case 'int':
      return { type: 'integer' };
    case 'number':
      return { type: 'number' };
    case 'bool':
      return { type: 'boolean' };
    case 'list':
      return { type: 'array', items: shapeToJsonSchema(shape.of) };
    case 'map': {
      const of = shapeToJsonSchema(shape.of);
      return { type: 'object', additionalProperties: shape.nullableValues ? orNull(of) : of };
    }
    case 'oneOf':
      return { anyOf: shape.of.map(shapeToJsonSchema), description: shape.fix };
    case 'object':
      return objectSchema(shape);
  }
}

function objectSchema(shape: Extract<Shape, { kind: 'object' }>): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, field] of Object.entries(shape.fields)) {
    const schema = shapeToJsonSchema(field);
    properties[key] = shape.nullable ? orNull(schema) : schema; // null drops an inherited value (overrides)
  }
  return { type: 'object', properties, additionalProperties: false, ...(shape.required?.length ? { required: [...shape.required] } : {}) };
}

function orNull(schema: JsonSchema): JsonSchema {
  return { anyOf: [schema, { type: 'null' }] };
}

/** The whole declaration's schema, with its header. */
export function platformJsonSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'berth platform declaration',
    description:
      'Structure of a berth platform.yaml (generated from src/declaration/shape.ts by `npm run schema`; do not edit). ' +
      'Run `npx berth validate` for the value rules, with line numbers and fixes.',
    ...shapeToJsonSchema(PLATFORM_SHAPE),
  };
}

/** The file's text: stable key order, two-space indent, trailing newline. */
export function platformJsonSchemaText(): string {
  return `${JSON.stringify(platformJsonSchema(), null, 2)}\n`;
}
