// Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core (which
// never downloads a browser of its own). Playwright gives every launch a new, empty profile
// (--user-data-dir in a temp folder); the flags keep Chromium off the network it must not reach.
import { Browser, BrowserContextOptions, chromium, Page } from 'playwright-core';
import { webBase } from './admin-session';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--no-sandbox', // as root there is no user namespace sandbox to use
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  // Without these Chromium keeps calling Google's hosts, which this machine's closed network refuses.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS, timeout: 30_000 });
}

/** A fresh browser profile (no cookies) with the admin signed in through the form (ADMIN_USER, ADMIN_PASSWORD of the stack's env). */
export async function signedInPage(browser: Browser, options: BrowserContextOptions = { viewport: { width: 1280, height: 720 } }): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.goto(`${webBase()}/login`);
  await page.getByLabel('User').fill(process.env.ADMIN_USER!);
  await page.getByLabel('Password').fill(process.env.ADMIN_PASSWORD!);
  await Promise.all([page.waitForURL(`${webBase()}/admin/quarantine`), page.getByRole('button', { name: 'Sign in' }).click()]);
  return page;
}
