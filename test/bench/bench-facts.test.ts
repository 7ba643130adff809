import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileSystemOf } from './bench-facts.js';

const findmnt = (dir: string): string[] => spawnSync('findmnt', ['-no', 'FSTYPE,SOURCE', '-T', dir], { encoding: 'utf8' }).stdout.trim().split(/\s+/);

describe('fileSystemOf', () => {
  test('names tmpfs as tmpfs', () => {
    // GIVEN /dev/shm, a tmpfs on Linux
    if (findmnt('/dev/shm')[0] !== 'tmpfs') return; // not this machine's layout: nothing to check
    // WHEN its file system is described THEN it is tmpfs
    expect(fileSystemOf('/dev/shm')).toBe('tmpfs');
  });

  test('says whether an ext4 file system has a journal, from /proc/fs/jbd2', () => {
    // GIVEN the temporary folder's file system
    const [type, source] = findmnt(os.tmpdir());
    // WHEN it is described
    const described = fileSystemOf(os.tmpdir());
    // THEN ext4 carries its journal state, as the kernel lists journals; any other type is named as it is
    if (type !== 'ext4') return expect(described).toBe(type);
    const journaled = readdirSync('/proc/fs/jbd2').some((e) => e.startsWith(`${path.basename(source)}-`));
    expect(described).toBe(journaled ? 'ext4 with a journal' : 'ext4 without a journal');
  });
});
