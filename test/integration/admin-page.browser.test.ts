// The admin page in a real browser (headless Chromium, see browser.ts) on the running test stack: an
// admin signs in, releases a quarantined email and finds its incident; without a session nothing acts.
// SCREENSHOT=1 also writes docs/admin-quarantine.png (the README's picture of the page).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { listAllowlist } from '../../src/db/directory';
import { launchBrowser, signedInPage } from './browser';
import { newId, openStack, uniqueEmail } from './helpers';

jest.setTimeout(120_000);

const stack = openStack();
const base = () => `http://127.0.0.1:${process.env.STACK_WEB_PORT}`;
let browser: Browser;

beforeAll(async () => {
  stack.ctx.config; // loads the stack's env file: ADMIN_USER, ADMIN_PASSWORD
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stack.ctx.close();
});

async function openQuarantine(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Email Quarantine' }).click();
  await page.waitForURL(/\/admin\/quarantine$/);
  expect(await page.locator('h1').textContent()).toBe('Email Quarantine');
}

const spamEmail = (id: string) =>
  Buffer.from(
    [
      'From: Prize Desk <winner@lucky-prize.example>',
      'To: support@helpdesk.example.org',
      'Subject: Congratulations! You have been selected for a $500 gift card',
      'Date: Tue, 4 Mar 2025 09:12:00 +0000',
      `Message-ID: <${id}@lucky-prize.example>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Dear customer,',
      '',
      'you have been selected to receive a $500 gift card. To claim it, confirm your account details within 24 hours at the link below.',
      '',
      'http://lucky-prize.example/claim',
      '',
      'Prize Desk',
      '',
    ].join('\r\n'),
  );

test('the Email Quarantine page lists a held email with its verdicts and a text preview; Discard drops it', async () => {
  const id = newId('browser-shot');
  await stack.deliver(spamEmail(id), { messageId: id, verdicts: { spam: 'FAIL', spf: 'FAIL', dmarc: 'FAIL' } });
  expect((await stack.settle(id)).stage).toBe('quarantined');

  const page = await signedInPage(browser);
  try {
    await openQuarantine(page);
    const row = page.locator(`tr[data-id="${id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Congratulations! You have been selected');
    expect(await row.textContent()).toContain('spam FAIL');
    expect(await row.locator('pre').textContent()).toContain('confirm your');
    if (process.env.SCREENSHOT === '1') {
      const file = join(__dirname, '..', '..', 'docs', 'admin-quarantine.png');
      mkdirSync(join(file, '..'), { recursive: true });
      await page.screenshot({ path: file, fullPage: true });
    }

    await Promise.all([page.waitForURL(/\/admin\/quarantine\?msg=/), row.getByRole('button', { name: 'Discard' }).click()]);
    expect(await page.locator('p.msg').textContent()).toBe(`discarded ${id}`);
    expect(await stack.finish(id)).toMatchObject({ stage: 'discarded', incidentNumber: null });
  } finally {
    await page.context().close();
  }
});

test('logs in, releases a quarantined email from the page and sees the incident appear', async () => {
  const id = newId('browser-release');
  const subject = `VPN disconnects every 10 minutes (${id})`;
  const raw = uniqueEmail('html-only.eml', id, `${id}@spam.example`).toString('latin1').replace(/^Subject:.*$/im, `Subject: ${subject}`);
  await stack.deliver(Buffer.from(raw, 'latin1'), { messageId: id, verdicts: { spam: 'FAIL' } });
  expect((await stack.settle(id)).stage).toBe('quarantined');

  const page = await signedInPage(browser);
  try {
    await openQuarantine(page);
    const row = page.locator(`tr[data-id="${id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain(subject);
    // The preview is text: the email's <script> is shown, never run, and its markup is gone.
    expect(await row.locator('pre').textContent()).toContain('VPN');

    await Promise.all([page.waitForURL(/\/admin\/quarantine\?msg=/), row.getByRole('button', { name: 'Release', exact: true }).click()]);
    expect(await page.locator('p.msg').textContent()).toBe(`released ${id}`);
    expect(await page.locator('p.err').count()).toBe(0);

    const done = await stack.finish(id);
    expect(done.stage).toBe('confirmed');
    const number = done.incidentNumber!;
    expect(number).toMatch(/^INC\d{7}$/);

    await page.getByRole('link', { name: 'Incidents' }).click();
    await page.waitForURL(/\/admin\/incidents$/);
    const incidentRow = page.locator('tr', { has: page.getByRole('link', { name: number, exact: true }) });
    await incidentRow.waitFor();
    expect(await incidentRow.textContent()).toContain(subject);

    await page.getByRole('link', { name: number, exact: true }).click();
    await page.waitForURL(new RegExp(`/admin/incidents/${number}$`));
    expect(await page.locator('h1').textContent()).toBe(`${number}: ${subject}`);
  } finally {
    await page.context().close();
  }
});

test('refuses an admin action without a session', async () => {
  const context = await browser.newContext();
  try {
    const entry = `${newId('nosession')}.example`;
    // A request of its own, and a form the browser submits from one of our pages: both 401.
    const direct = await context.request.post(`${base()}/admin/allowlist/add`, { form: { entry }, maxRedirects: 0 });
    expect(direct.status()).toBe(401);

    const page = await context.newPage();
    await page.goto(`${base()}/login`);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${base()}/admin/allowlist/add`),
      // A string, evaluated in the page (the tests compile without the DOM typings).
      page.evaluate(`(() => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = '/admin/allowlist/add';
        const input = document.createElement('input');
        input.name = 'entry';
        input.value = ${JSON.stringify(entry)};
        form.appendChild(input);
        document.body.appendChild(form);
        form.submit();
      })()`),
    ]);
    expect(response.status()).toBe(401);
    expect(await page.locator('p.err').textContent()).toBe('Sign in first');

    // An admin page without a session lands on the sign-in form, and the entry was never added.
    await page.goto(`${base()}/admin/quarantine`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/admin/quarantine');
    expect(await page.locator('h1').textContent()).toBe('Sign in');
    await page.getByLabel('Password').waitFor();
    expect(await listAllowlist(stack.ctx.pool)).not.toContain(entry);
  } finally {
    await context.close();
  }
});
