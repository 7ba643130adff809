/**
 * `--prices prices.json`: `{ "date": "2026-08-01", "source": "my quote", "prices": { "<key>": <USD>, ... } }` with
 * every key of PRICE_KEYS (the `prices` object of a report's data.json is a valid starting point). A missing,
 * non-numeric or negative price is an error naming the file, the key, the value and the fix; nothing is written.
 */
import { readFileSync } from 'node:fs';
import { DeclarationError, type DeclarationIssue } from '../declaration/errors.js';
import { DEFAULT_PRICES, PRICE_KEYS, type PriceKey, type PriceTable } from './prices.js';

/** Parses and validates a prices file's text; `file` names it in errors. */
export function parsePrices(text: string, file: string): PriceTable {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new DeclarationError(
      [
        {
          path: '(file)',
          message: `is not valid JSON (${(e as Error).message})`,
          fix: 'write a JSON object such as {"date": "2026-08-01", "prices": {"gce.e2-standard-4": 0.134, ...}}',
        },
      ],
      file,
    );
  }
  const root = parsed as { date?: unknown; source?: unknown; prices?: unknown } | null;
  if (root === null || typeof root !== 'object' || typeof root.prices !== 'object' || root.prices === null || Array.isArray(root.prices)) {
    throw new DeclarationError(
      [{ path: 'prices', value: root?.prices, message: 'must be an object of price key → USD number', fix: `give every key: ${PRICE_KEYS.join(', ')}` }],
      file,
    );
  }
  const prices = root.prices as Record<string, unknown>;
  const issues: DeclarationIssue[] = [];
  for (const key of PRICE_KEYS) {
    const value = prices[key];
    if (value === undefined)
      issues.push({
        path: `prices.${key}`,
        message: 'is missing',
        fix: `add "${key}": <USD ${DEFAULT_PRICES[key].unit}> (berth's default is ${DEFAULT_PRICES[key].value})`,
      });
    else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      issues.push({
        path: `prices.${key}`,
        value,
        message: 'must be a number ≥ 0',
        fix: `give the price in ${DEFAULT_PRICES[key].unit}, e.g. ${DEFAULT_PRICES[key].value}`,
      });
  }
  for (const key of Object.keys(prices)) {
    if (!(PRICE_KEYS as readonly string[]).includes(key))
      issues.push({
        path: `prices.${key}`,
        value: prices[key],
        message: 'is not a price berth uses',
        fix: `remove it, or use one of: ${PRICE_KEYS.join(', ')}`,
      });
  }
  if (issues.length > 0) throw new DeclarationError(issues, file);
  const date = typeof root.date === 'string' ? root.date : 'undated';
  const source = typeof root.source === 'string' ? root.source : file;
  return Object.fromEntries(PRICE_KEYS.map((k) => [k, { ...DEFAULT_PRICES[k], value: prices[k] as number, source, date, tag: 'S' as const }])) as Record<
    PriceKey,
    PriceTable[PriceKey]
  >;
}

/** Reads a prices file from disk (errors name it). */
export function loadPrices(path: string): PriceTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DeclarationError(
      [
        {
          path: '(file)',
          message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
          fix: 'pass the path of an existing prices JSON file',
        },
      ],
      path,
    );
  }
  return parsePrices(text, path);
}
