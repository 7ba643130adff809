/**
 * The production install (`npm ci --omit=dev` from this repository's lock file) runs no install script.
 * npm records in package-lock.json, per package, whether it has an install script (`preinstall`, `install`,
 * `postinstall`, or a binding.gyp that npm would build) as `hasInstallScript`, and marks packages only the dev tree
 * needs `dev: true`; everything else is installed by `npm ci --omit=dev`.
 * protobufjs 7 (under @google-cloud/container → google-gax) had a `postinstall`; package.json `overrides` pins
 * protobufjs 8 (no install script). README "Install footprint".
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';

interface LockPackage {
  readonly version?: string;
  readonly dev?: boolean;
  readonly hasInstallScript?: boolean;
}

interface Lock {
  readonly packages: Readonly<Record<string, LockPackage>>;
}

/** Lock entries (`node_modules/...` paths; "" is berth itself) that `npm ci --omit=dev` installs and that have an install script. */
function productionInstallScripts(lock: Lock): string[] {
  return Object.entries(lock.packages)
    .filter(([, p]) => !p.dev && p.hasInstallScript)
    .map(([path, p]) => `${path || '(berth)'}@${p.version ?? '?'}`);
}

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as Lock;
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { overrides?: Record<string, string> };

describe('install scripts of the production tree (package-lock.json)', () => {
  it('no package that npm ci --omit=dev installs has an install script', () => {
    // GIVEN the repository's lock file, WHEN its production packages are listed with their install scripts
    const scripted = productionInstallScripts(lock);

    // THEN there are none (a failure names each package with its version)
    expect(scripted).toEqual([]);
    // AND the production tree is the real one: it holds the GKE client and protobufjs
    expect(lock.packages['node_modules/@google-cloud/container']?.dev).toBeUndefined();
    expect(lock.packages['node_modules/protobufjs']?.dev).toBeUndefined();
  });

  it('the check reports a production package with an install script, and ignores dev-only ones', () => {
    // GIVEN a lock as it was with protobufjs 7.6.6 in the production tree and backport in the dev tree
    const before: Lock = {
      packages: {
        '': { version: '0.1.0' },
        'node_modules/protobufjs': { version: '7.6.6', hasInstallScript: true },
        'node_modules/backport': { version: '8.5.0', dev: true, hasInstallScript: true },
        'node_modules/yaml': { version: '2.9.1' },
      },
    };

    // WHEN checked, THEN only the production package is named
    expect(productionInstallScripts(before)).toEqual(['node_modules/protobufjs@7.6.6']);
  });

  it('every protobufjs in the lock is the version package.json overrides pin (the lock was regenerated with it)', () => {
    // GIVEN the override, WHEN every copy of protobufjs in the lock is listed
    const pinned = pkg.overrides?.protobufjs;
    const copies = Object.entries(lock.packages).filter(([path]) => /(^|\/)node_modules\/protobufjs$/.test(path));

    // THEN there is at least one and each resolves to the pinned version
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(copies.length).toBeGreaterThan(0);
    expect(copies.map(([path, p]) => `${path}@${p.version}`)).toEqual(copies.map(([path]) => `${path}@${pinned}`));
  });
});
