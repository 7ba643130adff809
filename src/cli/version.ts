import { readFileSync } from 'node:fs';
import { packageRoot } from './platform-file.js';

/** berth's version, from its package.json. */
export function berthVersion(): string {
  try {
    return (JSON.parse(readFileSync(`${packageRoot()}/package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
