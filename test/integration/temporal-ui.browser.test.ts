// The dev server's Temporal Web UI (2.54.1, bundled in the temporal CLI) in a real browser (headless
// Chromium, see browser.ts): an operator finds an email's workflow by its sender, through the
// EmailSender search attribute the workflow upserts after parsing (the sender's keyed hash, which
// `status --sender` prints; the test computes it the same way). Two emails from two unique
// senders: searching for one sender lists exactly that email's workflow and never the other's.
// The search is done as an operator does it: in the workflows list's query box (the "</>" toggle
// next to "Add Filter"), and through the link the UI puts that query in
// (/namespaces/default/workflows?query=...).
import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { searchSenderSetting, senderForSearch } from '../../src/mail/search-sender';
import { newId, openStack, uniqueEmail } from './helpers';

jest.setTimeout(120_000);

const stack = openStack();
const ui = () => `http://127.0.0.1:${process.env.STACK_TEMPORAL_UI_PORT}`;
const workflowsUrl = (query?: string) =>
  `${ui()}/namespaces/default/workflows${query === undefined ? '' : `?query=${encodeURIComponent(query)}`}`;
const senderQuery = (sender: string) => `EmailSender = "${senderForSearch(sender, searchSenderSetting(stack.ctx.config))}"`;

/** How long the UI may take to show a search's rows: visibility is eventually consistent. */
const RESULTS_TIMEOUT_MS = 30_000;
/** How long to wait for one load of the list before asking the UI again (a reload re-runs the query). */
const RELOAD_AFTER_MS = 5_000;

let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack.ctx.close();
});

/** A fresh profile that reaches only the stack: the UI's news feed and the like are refused at once. */
async function newPage(): Promise<Page> {
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  return context.newPage();
}

/** The workflow ids of the rows the list shows now (each row's links lead to .../workflows/<id>/<run id>/...). */
async function shownWorkflowIds(page: Page): Promise<string[]> {
  const hrefs = await page
    .getByTestId('workflows-summary-configurable-table-row')
    .locator('a[href*="/workflows/"]')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  const ids = hrefs.map((href) => decodeURIComponent(href.match(/\/workflows\/([^/?#]+)\//)?.[1] ?? ''));
  return [...new Set(ids.filter(Boolean))].sort();
}

/**
 * Waits until the list shows exactly `expected` (the search is over unique senders, so any other row
 * means the list is not the search's yet). The UI loads rows asynchronously and may first show the
 * previous list; visibility may lag the workflow, so the page is reloaded (same URL, same query) when
 * a load does not bring them. Bounded by RESULTS_TIMEOUT_MS; returns what was shown last.
 */
async function waitForRows(page: Page, expected: string[]): Promise<string[]> {
  const deadline = Date.now() + RESULTS_TIMEOUT_MS;
  let lastLoad = Date.now();
  let shown: string[] = [];
  for (;;) {
    shown = await shownWorkflowIds(page);
    if (JSON.stringify(shown) === JSON.stringify([...expected].sort())) return shown;
    if (Date.now() > deadline) return shown;
    if (Date.now() - lastLoad > RELOAD_AFTER_MS) {
      await page.reload();
      lastLoad = Date.now();
    }
    await page.waitForTimeout(250);
  }
}

test('the Temporal Web UI finds an email workflow by its sender (EmailSender search attribute)', async () => {
  const mine = newId('ui-search');
  const other = newId('ui-search-other');
  const sender = `${mine}@ui-search.example`;
  const otherSender = `${other}@ui-search.example`;
  await Promise.all([
    stack.deliver(uniqueEmail('plain-text.eml', mine, sender), { messageId: mine }),
    stack.deliver(uniqueEmail('plain-text.eml', other, otherSender), { messageId: other }),
  ]);
  const [done] = await Promise.all([stack.finish(mine), stack.finish(other)]);
  expect(done.workflowStatus).not.toBe('RUNNING');
  const myWorkflow = `inbound-email-${mine}`;
  const otherWorkflow = `inbound-email-${other}`;

  const page = await newPage();
  // The workflows list of namespace default; its query box is behind the "</>" toggle.
  await page.goto(workflowsUrl());
  const box = page.getByTestId('workflow-manual-search-input');
  await page.getByTestId('toggle-manual-query').click();
  await box.fill(senderQuery(sender));
  await page.getByTestId('workflow-manual-search-button').click();
  // The UI puts the query in the address, so the search is a link an operator can share.
  await page.waitForURL((url) => url.searchParams.get('query') === senderQuery(sender));
  expect(await waitForRows(page, [myWorkflow])).toEqual([myWorkflow]);
  expect(await page.getByText('No Workflows Found').count()).toBe(0);

  // The row leads to the email's workflow.
  await page.getByRole('link', { name: myWorkflow, exact: true }).click();
  await page.waitForURL((url) => url.pathname.startsWith(`/namespaces/default/workflows/${myWorkflow}/`));
  await page.getByText(myWorkflow, { exact: true }).first().waitFor();

  // The same search as a link, for the other sender: its email is there, ours is not.
  await page.goto(workflowsUrl(senderQuery(otherSender)));
  expect(await waitForRows(page, [otherWorkflow])).toEqual([otherWorkflow]);
  expect(await page.getByRole('link', { name: myWorkflow, exact: true }).count()).toBe(0);

  // A sender nobody wrote from: the UI says so, with neither workflow listed.
  await page.goto(workflowsUrl(senderQuery(`${newId('nobody')}@ui-search.example`)));
  await page.getByText('No Workflows Found').waitFor({ timeout: RESULTS_TIMEOUT_MS });
  expect(await shownWorkflowIds(page)).toEqual([]);
});
