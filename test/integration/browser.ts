// Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core (which
// never downloads a browser of its own). Playwright gives every launch a new, empty profile
// (--user-data-dir in a temp folder); the flags keep Chromium off the network it must not reach.
import { Browser, chromium } from 'playwright-core';

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
