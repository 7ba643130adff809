#!/usr/bin/env node
// `npm run schema`: writes schema/platform.schema.json from the declaration's shape (src/declaration/shape.ts).
// A test (test/declaration/json-schema.test.ts) fails when the committed file differs from a fresh generation.
import { mkdirSync, writeFileSync } from 'node:fs';
import { platformJsonSchemaText, SCHEMA_FILE } from '../lib/src/declaration/json-schema.js';

mkdirSync('schema', { recursive: true });
writeFileSync(SCHEMA_FILE, platformJsonSchemaText());
process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
