/**
 * Headless Chromium (Debian package `chromium`, installed by .ci/run) driven from the command line, no npm packages:
 * a screenshot, the console messages (--enable-logging=stderr), and each chart's rendered size (a copy of the page
 * with a measuring script, read back with --dump-dom). A missing chromium is an error, never a skipped test.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export function chromiumPath(): string {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {
      /* next */
    }
  }
  throw new Error(
    'chromium is not installed: the report page must be checked in a real browser. Install it with `apt-get install -y chromium` (.ci/run does this)',
  );
}

function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const profile = mkdtempSync(join(tmpdir(), 'berth-chromium-'));
  return new Promise((resolve, reject) => {
    execFile(
      chromiumPath(),
      ['--headless', '--disable-gpu', '--no-sandbox', '--no-first-run', '--hide-scrollbars', `--user-data-dir=${profile}`, ...args],
      { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        try {
          rmSync(profile, { recursive: true, force: true, maxRetries: 3 }); // this run's profile only
        } catch {
          /* a helper process still writing: the per-run temp root (test/jest/global-setup.ts) takes it */
        }
        if (err) reject(new Error(`chromium failed: ${err.message}\n${stderr}`));
        else resolve({ stdout, stderr });
      },
    );
  });
}

/** Screenshot of `html` (a file) into `png`; returns the console lines Chromium logged. */
export async function screenshot(html: string, png: string, size = '1280,2000'): Promise<string[]> {
  const { stderr } = await run(['--enable-logging=stderr', '--v=0', `--screenshot=${png}`, `--window-size=${size}`, pathToFileURL(html).href]);
  return stderr.split('\n').filter((l) => /CONSOLE/.test(l));
}

export interface ChartBox {
  readonly id: string;
  readonly title: string;
  readonly width: number;
  readonly height: number;
}

const MEASURE = `<script>
for (const svg of document.querySelectorAll('svg.chart')) {
  const r = svg.getBoundingClientRect();
  const t = svg.querySelector(':scope > title');
  const p = document.createElement('pre');
  p.className = 'berth-measure';
  p.textContent = JSON.stringify({ id: svg.id, title: t ? t.textContent : '', width: r.width, height: r.height });
  document.body.appendChild(p);
}
</script>`;

/** Every `svg.chart` of the page with its rendered size, measured by the browser's layout. */
export async function chartBoxes(html: string): Promise<ChartBox[]> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-measure-'));
  const copy = join(dir, 'measure.html');
  writeFileSync(copy, readFileSync(html, 'utf8').replace('</body>', `${MEASURE}</body>`));
  const { stdout } = await run(['--window-size=1280,2000', '--dump-dom', pathToFileURL(copy).href]).finally(() =>
    rmSync(dir, { recursive: true, force: true }),
  );
  return [...stdout.matchAll(/<pre class="berth-measure">(.*?)<\/pre>/g)].map(
    (m) =>
      JSON.parse(
        m[1]
          .replace(/&quot;/g, '"')
          .replace(/&amp;/g, '&')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>'),
      ) as ChartBox,
  );
}
