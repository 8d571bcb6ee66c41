/**
 * The job console, checked where users read it: the Temporal Web UI in headless Chromium. Starts its
 * own dev server with the UI (the shared test server has none), a worker (which must keep running: the
 * UI reads a finished job's console through the workflow's metadata query), runs a job, then finds it
 * in the UI by its request name, opens it and reads its result and console lines.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startDevServer } from '../../scripts/dev-server.js';
import type { DevServer } from '../../scripts/dev-server.js';
import { consoleLogger, createHandlers, createMediator, defineCommand } from '../../src/index.js';
import { bundleMediatorWorkflows } from '../../src/worker/create-worker.js';
import { createWorker } from '../../src/worker/create-worker.js';
import type { JobHandle, Mediator } from '../../src/index.js';
import type { MediatorWorker } from '../../src/worker/create-worker.js';
import { freePort, launchChromium } from './chromium.js';

const RESULT_MARK = 'quarterly-report-7f3a9c';
const LINE_MARK = 'web-ui-check';

const WebUiReport = defineCommand({
  name: 'WebUiReport',
  input: z.object({ pages: z.number().int() }),
  output: z.object({ report: z.string(), pages: z.number() }),
});
const WebUiOther = defineCommand({ name: 'WebUiOther', input: z.object({}), output: z.object({}) });

const handlers = createHandlers()
  .handle(WebUiReport, async (input, ctx) => {
    ctx.log.info(`${LINE_MARK}: rendering ${input.pages} pages`);
    for (let page = 1; page <= input.pages; page++) ctx.log.info(`${LINE_MARK}: page ${page} rendered`);
    ctx.log.warn(`${LINE_MARK}: done`);
    await new Promise((r) => setTimeout(r, 300));
    return { report: RESULT_MARK, pages: input.pages };
  })
  .handle(WebUiOther, () => ({}));

const queue = 'web-ui';
const logger = consoleLogger('warn');
let server: DevServer;
let uiUrl: string;
let worker: MediatorWorker;
let running: Promise<void>;
let mediator: Mediator;
let browser: Browser | undefined;
let job: JobHandle;
let other: JobHandle;

beforeAll(async () => {
  const uiPort = await freePort();
  server = await startDevServer({ ui: true, uiPort });
  uiUrl = `http://127.0.0.1:${uiPort}`;
  worker = await createWorker({
    connection: { address: server.address },
    handlers,
    queues: [queue],
    workflowBundle: await bundleMediatorWorkflows(),
    logger,
    console: { flushInterval: '100ms' },
    shutdownGraceTime: '1s',
  });
  running = worker.run();
  mediator = await createMediator({ connection: { address: server.address }, defaults: { queue }, logger });
  job = await mediator.enqueue(WebUiReport, { pages: 3 }, { description: 'Quarterly report (Web UI test)' });
  other = await mediator.enqueue(WebUiOther, {});
  await Promise.all([job.result(), other.result()]);
});

afterAll(async () => {
  await browser?.close();
  await mediator?.close();
  worker?.shutdown();
  await running;
  await server?.teardown();
});

/** Opens the workflow list filtered by `query`, reloading until the job shows (visibility is eventually consistent). */
async function openFilteredList(page: Page, query: string, jobId: string): Promise<void> {
  const url = `${uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(query)}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    await page.goto(url);
    try {
      await page.locator(`a[href*="/workflows/${jobId}/"]`).first().waitFor({ timeout: 10_000 });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
  }
}

describe('Temporal Web UI', () => {
  it('finds the job by its request name, opens it, and shows its result and console lines', async () => {
    // Launched in the test, not a hook: a missing Chromium fails this test (CI installs it) instead of skipping it.
    browser = await launchChromium();
    mkdirSync('test-results', { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.setDefaultTimeout(30_000);
    try {
      // The list filtered by the MediatorRequest search attribute shows this request's jobs only.
      await openFilteredList(page, 'MediatorRequest="WebUiReport"', job.id);
      const links = await page.locator('a[href*="/workflows/"]').all();
      const hrefs = await Promise.all(links.map((link) => link.getAttribute('href')));
      // Rows link to /workflows/<id>/<runId>/history (other links: start-workflow, …).
      const listed = hrefs.filter((h): h is string => !!h && /\/workflows\/[^/]+\/[^/]+\//.test(h));
      expect(listed.length).toBeGreaterThan(0);
      expect(listed.every((h) => h.includes(`/workflows/${job.id}/`))).toBe(true);
      expect(listed.some((h) => h.includes(other.id))).toBe(false);
      await page.screenshot({ path: 'test-results/web-ui-list.png' });

      // The job's page: its result in the Input/Result section.
      await page.locator(`a[href*="/workflows/${job.id}/"]`).first().click();
      await page.waitForURL(/\/history/);
      await page.getByText(RESULT_MARK).first().waitFor();
      const main = await page.locator('main').innerText();
      expect(main).toContain('Result');
      expect(main).toContain(`"report": "${RESULT_MARK}"`);
      await page.screenshot({ path: 'test-results/web-ui-job-result.png', fullPage: true });

      // Its console: the "Current Details" the UI reads from the running worker, and the summary.
      await page.getByText('User Metadata', { exact: true }).click();
      await page.waitForURL(/\/user-metadata/);
      await page.getByText('Current Details').first().waitFor();
      const details = page.frameLocator('iframe[src*="Console"]');
      await details.locator('pre').waitFor();
      const consoleText = await details.locator('body').innerText();
      expect(consoleText).toContain('WebUiReport');
      expect(consoleText).toContain('Console (5 line(s))');
      for (const line of [
        'rendering 3 pages',
        'page 1 rendered',
        'page 2 rendered',
        'page 3 rendered',
        'done',
      ])
        expect(consoleText).toContain(`${LINE_MARK}: ${line}`);
      expect(consoleText).toMatch(new RegExp(`WARN\\s+${LINE_MARK}: done`));
      const summary = await page.frameLocator('iframe[src*="content=Quarterly"]').locator('body').innerText();
      expect(summary).toContain('Quarterly report (Web UI test)');
      await page.screenshot({ path: 'test-results/web-ui-job.png', fullPage: true });
    } finally {
      await page.close();
    }
  });
});
