/** Declaration input is bounded: special files and oversized files are refused before reading; alias bombs exit 2. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '../../src/cli/commands/validate.js';
import { MAX_DECLARATION_BYTES } from '../../src/declaration/load.js';
import { MAX_STRING_CHARS } from '../../src/declaration/shape.js';
import { captureIo } from '../gitops/cli-io.js';
import { tempDir } from '../helpers.js';

async function validateFile(file: string): Promise<{ code: number; err: string; ms: number }> {
  const io = captureIo(tempDir(), {});
  const started = Date.now();
  const code = await validate(['--file', file], io);
  return { code, err: io.err(), ms: Date.now() - started };
}

describe('declaration input bounds', () => {
  test('a device (/dev/zero) is refused at once with exit 2', async () => {
    const r = await validateFile('/dev/zero');
    expect(r.code).toBe(2);
    expect(r.err).toContain('/dev/zero');
    expect(r.err).toContain('is not a regular file');
    expect(r.ms).toBeLessThan(2000);
  });

  test('a FIFO is refused without blocking on it', async () => {
    const fifo = join(tempDir(), 'platform.yaml');
    execFileSync('mkfifo', [fifo]);
    const r = await validateFile(fifo);
    expect(r.code).toBe(2);
    expect(r.err).toContain('is not a regular file');
  });

  test('a file over the size limit is refused before it is parsed', async () => {
    const big = join(tempDir(), 'platform.yaml');
    writeFileSync(big, `# ${'x'.repeat(MAX_DECLARATION_BYTES)}\n`);
    const r = await validateFile(big);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`over berth's limit of ${MAX_DECLARATION_BYTES} bytes`);
  });

  test('a YAML alias bomb is a declaration error (exit 2), not a crash', async () => {
    // GIVEN nine levels of aliases, each repeating the one before ten times
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i += 1)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const bomb = join(tempDir(), 'platform.yaml');
    writeFileSync(bomb, `${lines.join('\n')}\nenvironments: {}\nservices: []\n`);
    // WHEN validated  THEN exit 2 with the YAML problem named
    const r = await validateFile(bomb);
    expect(r.code).toBe(2);
    expect(r.err).toContain('(yaml)');
    expect(r.err).toMatch(/alias/i);
  });

  const SERVICE = 'services:\n  - { name: api, image: "r.example.com/api:1", port: 8000, health: /healthz, memory: 128Mi, cpu: 100m';

  test.each([['constructor'], ['__proto__'], ['toString']])('a "%s" key is an unknown field, exit 2', async (key) => {
    const file = join(tempDir(), 'platform.yaml');
    writeFileSync(file, `environments: { production: {} }\n${SERVICE}, ${key}: { x: 1 } }\n`);
    const r = await validateFile(file);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`services[0].${key} (service "api"): unknown field "${key}"`);
  });

  test('a single value over the length limit is refused without echoing it', async () => {
    const file = join(tempDir(), 'platform.yaml');
    writeFileSync(file, `environments: { production: {} }\n${SERVICE}, command: ["${'y'.repeat(MAX_STRING_CHARS + 1)}"] }\n`);
    const r = await validateFile(file);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`services[0].command[0] (service "api")`);
    expect(r.err).toContain(`longer than berth's limit of ${MAX_STRING_CHARS} characters`);
    expect(r.err).not.toContain('yyyyyyyyyy');
  });
});
