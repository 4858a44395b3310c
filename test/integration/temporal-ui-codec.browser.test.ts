// The Temporal Web UI shows an email workflow's payloads decrypted to a signed-in operator, through the
// admin page's codec server, in a real browser (headless Chromium, see browser.ts). The stack starts the
// dev server with --ui-codec-endpoint; the UI sends the admin page's session cookie only when "Include
// cross-origin credentials" is ticked in its Codec Server settings, which the operator does once (the
// dev server has no flag for it; a production UI server sets it: README). Not signed in, the UI gets
// 401 and shows nothing decrypted.
import { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { newId, openStack, uniqueEmail } from './helpers';

jest.setTimeout(120_000);

const stack = openStack();
const ui = () => `http://127.0.0.1:${process.env.STACK_TEMPORAL_UI_PORT}`;
const web = () => `http://127.0.0.1:${process.env.STACK_WEB_PORT}`;

let browser: Browser;
let workflowId: string;
let sesMessageId: string;
let incidentNumber: string;

beforeAll(async () => {
  browser = await launchBrowser();
  sesMessageId = newId('ui-codec');
  await stack.deliver(uniqueEmail('plain-text.eml', sesMessageId, `${sesMessageId}@customer.example`), { messageId: sesMessageId });
  const done = await stack.finish(sesMessageId);
  expect(done.stage).toBe('confirmed');
  incidentNumber = done.incidentNumber!;
  workflowId = `inbound-email-${sesMessageId}`;
});

afterAll(async () => {
  await browser?.close();
  await stack.ctx.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  return context.newPage();
}

async function signIn(page: Page): Promise<void> {
  stack.ctx.config; // loads the stack's env file
  await page.goto(`${web()}/login`);
  await page.locator('input[name=user]').fill(process.env.ADMIN_USER!);
  await page.locator('input[name=password]').fill(process.env.ADMIN_PASSWORD!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/admin/'));
}

/** As an operator does it once: Codec Server settings, the browser's own setting, cookies included. */
async function includeCredentials(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Codec Server' }).first().click();
  await page.getByTestId('use-local-endpoint-input').check({ force: true });
  await page.getByTestId('data-encoder-endpoint-input').fill(`${web()}/codec`);
  await page.getByTestId('data-encoder-include-credentials').click();
  expect(await page.getByLabel('Include cross-origin credentials').isChecked()).toBe(true);
  await page.getByRole('button', { name: 'Apply' }).click();
}

/** The workflow page's Input and Result, as the UI renders them. */
async function inputAndResult(page: Page): Promise<string> {
  const text = await page.locator('body').innerText();
  return text.slice(text.indexOf('Input'), text.indexOf('Timeline', text.indexOf('Input')));
}

test('a signed-in operator sees the workflow input and result decrypted', async () => {
  const page = await newPage();
  const codecCalls: number[] = [];
  page.on('response', (r) => r.url().startsWith(`${web()}/codec/decode`) && codecCalls.push(r.status()));
  await signIn(page);
  await page.goto(`${ui()}/namespaces/default/workflows/${workflowId}`);
  await includeCredentials(page);
  // From here on, with the setting applied (the first load asked without the cookie).
  codecCalls.length = 0;
  await page.goto(`${ui()}/namespaces/default/workflows/${workflowId}`);
  await page.getByText(`"incidentNumber": "${incidentNumber}"`).waitFor({ timeout: 30_000 });
  const shown = await inputAndResult(page);
  expect(shown).toContain(`"sesMessageId": "${sesMessageId}"`);
  expect(shown).toContain('"stage": "confirmed"');
  expect(codecCalls.length).toBeGreaterThan(0);
  expect(codecCalls.every((status) => status === 200)).toBe(true);
  await page.context().close();
});

test('without signing in, the codec refuses (401) and the UI shows nothing decrypted', async () => {
  const page = await newPage();
  const codecCalls: number[] = [];
  page.on('response', (r) => r.url().startsWith(`${web()}/codec/decode`) && codecCalls.push(r.status()));
  await page.goto(`${ui()}/namespaces/default/workflows/${workflowId}`);
  await includeCredentials(page);
  // From here on, with the setting applied (the first load asked without the cookie).
  codecCalls.length = 0;
  await page.goto(`${ui()}/namespaces/default/workflows/${workflowId}`);
  await page.getByTestId('data-encoder-status-error').waitFor({ timeout: 30_000 });
  expect(codecCalls.length).toBeGreaterThan(0);
  expect(codecCalls.every((status) => status === 401)).toBe(true);
  const shown = await inputAndResult(page);
  expect(shown).not.toContain('"sesMessageId"');
  expect(shown).not.toContain(incidentNumber);
  await page.context().close();
});
