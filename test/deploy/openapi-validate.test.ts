/** The client-side schema check: the rewrite rules that make it as strict as the server's strict apply, no stricter. */
import { describe, expect, it } from '@jest/globals';
import { GroupVersionValidator, type SchemaDocument } from '../../src/deploy/openapi-validate.js';

const ref = (name: string) => ({ allOf: [{ $ref: `#/components/schemas/${name}` }] });

/** A small document in the shape kube-apiserver serves under /openapi/v3/apis/<group>/<version>. */
const DOC: SchemaDocument = {
  components: {
    schemas: {
      'meta.ObjectMeta': {
        type: 'object',
        properties: { name: { type: 'string' }, namespace: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } } },
      },
      IntOrString: { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] },
      'x.Port': {
        type: 'object',
        required: ['port'],
        properties: {
          port: { type: 'integer', format: 'int32' },
          target: ref('IntOrString'),
          protocol: { type: 'string', enum: ['TCP', 'UDP'] },
          name: { type: 'string' },
        },
      },
      'x.WidgetSpec': {
        type: 'object',
        required: ['ports'],
        properties: {
          ports: { type: 'array', items: ref('x.Port'), 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['port', 'protocol'] },
          tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
          extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'string' } } },
          surge: { 'x-kubernetes-int-or-string': true },
          inner: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } } },
          // a property named like a keyword must stay a property
          properties: { type: 'string' },
        },
      },
      'x.Widget': {
        type: 'object',
        'x-kubernetes-group-version-kind': [{ group: 'x.example.com', version: 'v1', kind: 'Widget' }],
        properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: ref('meta.ObjectMeta'), spec: ref('x.WidgetSpec') },
      },
      'x.Gadget': {
        type: 'object',
        'x-kubernetes-group-version-kind': [{ group: 'x.example.com', version: 'v1', kind: 'Gadget' }],
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          spec: { type: 'object', 'x-kubernetes-validations': [{ rule: 'self.a != "b"' }], properties: { a: { type: 'string' } } },
        },
      },
    },
  },
};

const validator = new GroupVersionValidator(DOC, 'apis/x.example.com/v1');
const widget = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'w', namespace: 'n' }) => ({
  apiVersion: 'x.example.com/v1',
  kind: 'Widget',
  metadata,
  spec,
});
const check = (obj: unknown) => validator.check('x.example.com', 'v1', obj);

describe('GroupVersionValidator (OpenAPI v3 document of one group-version)', () => {
  it('accepts a valid object, int-or-string both ways, preserved unknown fields and an embedded resource', () => {
    // GIVEN an object using every lenient rule WHEN checked THEN no issue
    const obj = widget({
      ports: [
        { port: 80, target: 'http', protocol: 'TCP' },
        { port: 80, target: 8080, protocol: 'UDP' },
      ],
      tags: ['a', 'b'],
      extra: { known: 'k', anything: { deep: [1] } },
      surge: '25%',
      inner: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { a: 'x' } },
      properties: 'p',
    });
    expect(check(obj)).toEqual({ issues: [], celRules: false });
    expect(check(widget({ ports: [{ port: 1 }], surge: 3 })).issues).toEqual([]);
  });

  it("rejects unknown fields at any depth, in the server's wording (fieldValidation=Strict)", () => {
    // GIVEN typos at three depths WHEN checked THEN each is named by its path
    const obj = widget({ ports: [{ port: 80, targt: 1 }], inner: { spec: { b: 1 } } }, { name: 'w', labelz: {} });
    expect(check(obj).issues).toEqual(
      expect.arrayContaining([
        { path: '.metadata.labelz', message: 'field not declared in schema' },
        { path: '.spec.ports[0].targt', message: 'field not declared in schema' },
        { path: '.spec.inner.spec.b', message: 'field not declared in schema' },
      ]),
    );
  });

  it('rejects wrong types, out-of-range int32, bad enums, missing required fields and wrong int-or-string', () => {
    // GIVEN one of each mistake WHEN checked THEN one issue each
    const issues = check(widget({ ports: [{ port: '80' }, { port: 2 ** 31, protocol: 'SCTP' }, { target: 1.5 }], surge: true })).issues;
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: '.spec.ports[0].port', message: 'expected integer, got string' },
        { path: '.spec.ports[1].port', message: '2147483648 is out of range for int32' },
        { path: '.spec.ports[1].protocol', message: 'Unsupported value: "SCTP": supported values: "TCP", "UDP"' },
        { path: '.spec.ports[2].port', message: 'Required value' },
        expect.objectContaining({ path: '.spec.ports[2].target' }),
        expect.objectContaining({ path: '.spec.surge' }),
      ]),
    );
    expect(check(widget({})).issues).toEqual([{ path: '.spec.ports', message: 'Required value' }]);
  });

  it('rejects duplicate keys in map lists and duplicate items in sets (server-side apply does)', () => {
    // GIVEN the same (port, protocol) twice and a repeated tag WHEN checked THEN both are reported
    const issues = check(
      widget({
        ports: [
          { port: 80, protocol: 'TCP' },
          { port: 80, protocol: 'TCP' },
        ],
        tags: ['a', 'a'],
      }),
    ).issues;
    expect(issues.map((i) => i.path)).toEqual(['.spec.ports', '.spec.tags']);
    expect(issues[0].message).toMatch(/duplicate entries for key \[port,protocol\]/);
  });

  it('treats null as unset and flags kinds whose schema has CEL rules (only the server evaluates them)', () => {
    // GIVEN a null optional field, and a kind with x-kubernetes-validations WHEN checked THEN null passes, CEL is flagged
    expect(check(widget({ ports: [{ port: 80 }], tags: null })).issues).toEqual([]);
    expect(validator.check('x.example.com', 'v1', { apiVersion: 'x.example.com/v1', kind: 'Gadget', spec: { a: 'b' } })).toEqual({
      issues: [],
      celRules: true,
    });
    expect(validator.has('x.example.com', 'v1', 'Widget')).toBe(true);
    expect(validator.has('x.example.com', 'v1', 'Nope')).toBe(false);
  });
});
