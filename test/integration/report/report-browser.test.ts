import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import test from 'ava';
import { chromium } from 'playwright-core';
import { writeReport } from '../../../harness/report/write-report.ts';
import { writeFixtureRuns } from '../../unit/report/fixture-runs.ts';

/** Debian's Chromium (apt-get install -y chromium); Playwright's own browser downloads are not used. */
const chromiumPath = '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const title = 'report.html renders offline in headless Chromium: verdict table, charts, timelines';

if (!existsSync(chromiumPath)) {
  test.skip(`${title} (skipped: ${chromiumPath} not found; apt-get install -y chromium)`, () => {});
} else {
  test(title, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-browser-'));
    writeFixtureRuns(dir, { calibrate: true, invalidRun: true });
    const { files } = await writeReport(dir);

    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    t.teardown(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    const consoleErrors: string[] = [];
    const external: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    // Anything but the report itself is a fetch the page must not make: record and block it.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url === pathToFileURL(files.html).href) return route.continue();
      external.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(files.html).href, { waitUntil: 'load' });

    // only primary metrics gate: the two informational regressions do not fail it, the SLO does
    t.regex(
      (await page.locator('#outcome').textContent()) ?? '',
      /^FAIL: 1 SLO missed, 1 run excluded/,
    );

    const main = page.locator('section.group').first();
    const rows = main.locator('tr.verdict-row');
    t.is(await rows.count(), 8);
    // primaries first (they gate, here all improved), then the informational metrics
    t.regex((await rows.first().textContent()) ?? '', /improved/);
    const texts = await rows.allTextContents();
    t.true(texts.some((r) => /unreachable\.time_to_not_ready[\s\S]*improved/.test(r)));
    t.true(texts.some((r) => /api\.latency\.p99\{verb=GET\}[\s\S]*regressed/.test(r)));
    const text = (await main.textContent()) ?? '';
    t.true(text.includes('Primary metrics'));
    t.true(text.indexOf('Primary metrics') < text.indexOf('Informational metrics'));
    t.true(await main.locator('table.verdicts .badge.v-improved').first().isVisible());

    // per-run value charts: one per metric, drawn with dots, with a real size on screen
    const metricCharts = main.locator('figure.metric-chart svg');
    t.is(await metricCharts.count(), 8);
    for (let i = 0; i < 8; i++) {
      const box = await metricCharts.nth(i).boundingBox();
      t.true(
        (box?.width ?? 0) > 200 && (box?.height ?? 0) > 50,
        `metric chart ${i} is ${JSON.stringify(box)}`,
      );
    }
    t.true((await main.locator('figure.metric-chart svg .mark-symbol path').count()) >= 8 * 9);
    t.true(await main.locator('figure.percentile-chart svg .mark-line path').first().isVisible());

    // the first run's timeline is open, with the fault window shaded
    const firstRun = page.locator('details.run').first();
    t.true(await firstRun.locator('figure.timeline-chart svg').isVisible());
    t.true((await firstRun.locator('svg .mark-rect path[fill="#c62828"]').count()) >= 2);
    // a closed one opens and draws
    const second = page.locator('details.run').nth(1);
    t.false(await second.locator('figure.timeline-chart svg').isVisible());
    await second.locator('summary').click();
    t.true(await second.locator('figure.timeline-chart svg').isVisible());

    t.true(await page.locator('table.config tr.attention').first().isVisible());

    const screenshot = join(dir, 'report.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    t.log(`screenshot: ${screenshot}`);

    t.deepEqual(consoleErrors, []);
    t.deepEqual(external, []);
  });
}
