// What an agent sees of an incident's emails, in a real browser (headless Chromium, see browser.ts) on the
// running test stack: the attachment list, a download that is a download with the exact bytes, and the
// reply's HTML in its sandboxed frame: the inline image shown, the email's script never run, its remote
// image never requested (a server of this test's stands for the remote host and counts every request).
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser } from 'playwright-core';
import { parseEmail } from '../../src/mail/parse-email';
import { launchBrowser, signedInPage } from './browser';
import { fixture, openStack, waitFor } from './helpers';
import { incidentWithReply } from './incident-with-reply';

jest.setTimeout(120_000);

const stack = openStack();
const base = () => `http://127.0.0.1:${process.env.STACK_WEB_PORT}`;
let browser: Browser;
let remote: Server;
const remoteRequests: string[] = [];
let remoteHost = '';

beforeAll(async () => {
  stack.ctx.config; // loads the stack's env file: ADMIN_USER, ADMIN_PASSWORD
  remote = createServer((req: IncomingMessage, res) => {
    remoteRequests.push(req.url ?? '');
    res.writeHead(200, { 'Content-Type': 'image/gif' }).end();
  }).listen(0, '127.0.0.1');
  await new Promise((r) => remote.once('listening', r));
  remoteHost = `http://127.0.0.1:${(remote.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => remote?.close(r));
  await stack.ctx.close();
});

test("an agent sees the emails' attachments, downloads one, and reads the reply's HTML sanitised in a sandboxed frame", async () => {
  const { number, replyId } = await incidentWithReply(stack, remoteHost);
  const page = await signedInPage(browser, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const requested: string[] = [];
  page.context().on('request', (request) => requested.push(request.url()));
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  try {
    await page.goto(`${base()}/admin/incidents/${number}`);
    expect(await page.locator('h1').textContent()).toBe(`${number}: Invoice scan attached, screen flickers`);

    // The attachment list: names (the hostile one as text), types, sizes.
    const rows = page.locator('table.attachments tbody tr');
    expect(await rows.count()).toBe(4);
    expect((await rows.allInnerTexts()).map((t) => t.split('\t')[0])).toEqual(['screenshot.png', 'invoice-2025-03.pdf', 'printer-error.png', '"><img src=x onerror=alert(1)>.html']);
    expect(await rows.nth(1).innerText()).toMatch(/application\/pdf\s+193 B/);
    expect(await page.locator('main img').count()).toBe(0); // no markup from a file name became an element

    // A download is a download: the exact bytes, under the attachment's name.
    const pdf = (await parseEmail(fixture('multipart-attachment.eml'))).attachmentContents[1];
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'invoice-2025-03.pdf' }).click()]);
    expect(download.suggestedFilename()).toBe('invoice-2025-03.pdf');
    expect(readFileSync((await download.path())!)).toEqual(pdf);
    // So is the HTML file named with markup: saved, never shown on our origin.
    const [htmlFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '.html' }).click()]);
    expect(readFileSync((await htmlFile.path())!).toString()).toContain('from the attachment');
    expect(new URL(page.url()).pathname).toBe(`/admin/incidents/${number}`);

    // The reply's HTML, in a frame that may run nothing.
    const frameElement = page.locator(`section[data-ses-id="${replyId}"] iframe.email-html`);
    await frameElement.scrollIntoViewIfNeeded();
    expect(await frameElement.getAttribute('sandbox')).toBe('');
    const frame = page.frameLocator(`section[data-ses-id="${replyId}"] iframe.email-html`);
    await frame.getByText('The printer on floor 3 shows the error below.').waitFor();
    expect(await frame.locator('.e2t-note').textContent()).toBe('1 remote image blocked');
    expect(await page.getByText('remote images are blocked').count()).toBeGreaterThan(0);

    // The inline image is drawn from the email's own part.
    const screenshot = frame.locator('#screenshot');
    await screenshot.waitFor();
    expect(await screenshot.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const drawnWidth = () => screenshot.evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).naturalWidth);
    expect(await waitFor(async () => ((await drawnWidth()) > 0 ? drawnWidth() : null))).toBe(1);

    // The script, the event handler and the javascript: link did nothing; the form and the nested frame are gone.
    expect(await frame.locator('script, form, input, iframe, svg').count()).toBe(0);
    expect(await frame.locator('#broken').getAttribute('onerror')).toBeNull();
    expect(await frame.locator('#js-link').getAttribute('href')).toBeNull();
    expect(await frame.locator('#web-link').getAttribute('href')).toBe('https://status.example.net/printers');
    expect(await page.locator('body').getAttribute('data-email-script-ran')).toBeNull();
    expect(await page.locator('body').getAttribute('data-email-onerror-ran')).toBeNull();
    expect(dialogs).toEqual([]);
    expect(await page.title()).toBe(`${number}: Invoice scan attached, screen flickers`);

    // Nothing of the email reached the remote host: not the tracking pixel, the CSS background, the frame, the redirect.
    await page.waitForTimeout(500);
    expect(remoteRequests).toEqual([]);
    expect(requested.filter((url) => url.startsWith(remoteHost))).toEqual([]);
  } finally {
    await page.context().close();
  }
});
