import { chromium, type Browser } from 'playwright-core';
import { startHarness, type Harness } from './harness';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

describe('approval page in headless Chromium', () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    h = await startHarness();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  test('the emailed link renders the evidence tables and the canary chart, and clicking Approve decides', async () => {
    const links = await h.openRelease('release-b-1');
    const page = await browser.newPage();
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') cspErrors.push(m.text());
    });
    await page.goto(links['a@x.io']);
    expect(await page.locator('#approver').textContent()).toBe('a@x.io');
    expect(await page.locator('#offline tbody tr').count()).toBe(2);
    expect(await page.locator('#offline tr.primary th').textContent()).toBe('auc');
    expect(await page.locator('#slices tbody th').allTextContents()).toEqual(['sex=female', 'sex=<male>']);
    const chart = page.locator('svg[aria-label="p99 latency (ms)"]');
    expect(await chart.isVisible()).toBe(true);
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(100);
    expect(await page.locator('svg polyline.series').count()).toBe(4);
    expect(h.releases.gate('release-b-1', 'deploy').decisions).toEqual([]);

    await page.fill('#comment', 'offline and canary evidence are fine');
    await Promise.all([page.waitForURL(/\/approve\//), page.waitForLoadState('load'), page.click('#approve')]);
    await page.waitForSelector('#message');
    expect(await page.locator('#message').textContent()).toContain('a@x.io approved the deploy gate of release-b-1');
    expect(h.releases.gate('release-b-1', 'deploy').decisions).toEqual([
      expect.objectContaining({ approver: 'a@x.io', decision: 'approve', channel: 'email', comment: 'offline and canary evidence are fine' }),
    ]);
    expect(cspErrors).toEqual([]);
    await page.close();
  });
});
