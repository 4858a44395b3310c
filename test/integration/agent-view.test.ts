// Agents see an incident's emails on the real stack: the attachments of the original email and of a reply
// (API, admin page, CLI), each downloadable as the exact bytes only through a link signed for the caller
// that expires in minutes, and the HTML body sanitised in a sandboxed frame with its cid: image inline.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseEmail } from '../../src/mail/parse-email';
import { API_AUDIENCE, LINK_LIFETIME_MS, sessionAudience, signPartLink } from '../../src/web/email-part-links';
import { adminCredentials, adminSignIn, webBase } from './admin-session';
import { fixture, newId, openStack, uniqueEmail } from './helpers';
import { incidentWithReply } from './incident-with-reply';
import { TEST_STACK_ENV } from './stack-env';

jest.setTimeout(120_000);

const stack = openStack();
afterAll(() => stack.ctx.close());

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'bin', 'email-to-ticket.js');
const api = (path: string) => fetch(`${webBase()}${path}`, { headers: { authorization: `Bearer ${adminCredentials(stack.ctx).token}` } });
const asAdmin = (path: string, cookie: string) => fetch(`${webBase()}${path}`, { headers: { cookie }, redirect: 'manual' });
const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

interface ApiAttachment { index: number; filename: string; contentType: string; size: number; inline: boolean; downloadUrl: string; expiresAt: string }
interface ApiEmail { sesMessageId: string; original: boolean; hasHtml: boolean; attachments: ApiAttachment[] }

let made: Awaited<ReturnType<typeof incidentWithReply>>;
let emails: ApiEmail[];
beforeAll(async () => {
  made = await incidentWithReply(stack);
  const res = await api(`/api/incidents/${made.number}`);
  expect(res.status).toBe(200);
  emails = ((await res.json()) as { emails: ApiEmail[] }).emails;
});

test('the API lists the attachments of the original email and of the reply, with short-lived download links, and which have an HTML body', async () => {
  expect(emails.map((e) => [e.sesMessageId, e.original, e.hasHtml])).toEqual([[made.firstId, true, true], [made.replyId, false, true]]);
  expect(emails[0].attachments.map((a) => [a.filename, a.contentType, a.inline])).toEqual([['screenshot.png', 'image/png', true], ['invoice-2025-03.pdf', 'application/pdf', false]]);
  expect(emails[1].attachments.map((a) => a.filename)).toEqual(['printer-error.png', '"><img src=x onerror=alert(1)>.html']);
  for (const a of emails.flatMap((e) => e.attachments)) {
    expect(a.downloadUrl).toMatch(/^\/api\/email-parts\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const life = Date.parse(a.expiresAt) - Date.now();
    expect(life).toBeGreaterThan(LINK_LIFETIME_MS - 60_000);
    expect(life).toBeLessThanOrEqual(LINK_LIFETIME_MS);
  }
});

test('an API download gives the exact bytes, as an attachment that is never shown inline; without the token, altered or expired: refused', async () => {
  const pdf = (await parseEmail(fixture('multipart-attachment.eml'))).attachmentContents[1];
  const invoice = emails[0].attachments[1];
  const res = await api(invoice.downloadUrl);
  expect(res.status).toBe(200);
  expect(await bytes(res)).toEqual(pdf);
  expect(res.headers.get('content-type')).toBe('application/octet-stream');
  expect(res.headers.get('content-disposition')).toBe(`attachment; filename="invoice-2025-03.pdf"; filename*=UTF-8''invoice-2025-03.pdf`);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');

  // The HTML file a stranger named with markup: a download too, its name unable to break the header.
  const hostile = await api(emails[1].attachments[1].downloadUrl);
  expect(hostile.status).toBe(200);
  expect(hostile.headers.get('content-type')).toBe('application/octet-stream');
  expect(hostile.headers.get('content-disposition')).toMatch(/^attachment; filename="[A-Za-z0-9._ -]+"; filename\*=UTF-8''%22%3E%3Cimg/);
  expect((await bytes(hostile)).toString()).toContain("<script>alert('from the attachment')</script>");

  expect((await fetch(`${webBase()}${invoice.downloadUrl}`)).status).toBe(401);
  const [claims, signature] = invoice.downloadUrl.split('/').pop()!.split('.');
  const otherPart = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(claims, 'base64url').toString()), p: 0 })).toString('base64url');
  expect((await api(`/api/email-parts/${otherPart}.${signature}`)).status).toBe(403);
  const key = stack.ctx.config.customerData.hashKey;
  const expired = signPartLink(key, API_AUDIENCE, { sesMessageId: made.firstId, part: 1 }, Date.now() - LINK_LIFETIME_MS - 1000).token;
  const gone = await api(`/api/email-parts/${expired}`);
  expect(gone.status).toBe(410);
  expect(((await gone.json()) as { error: string }).error).toContain('expired');
});

test('the admin page lists the attachments (names escaped) with links only its session can use, and frames the sanitised HTML', async () => {
  const { cookie } = await adminSignIn(stack.ctx);
  const page = await asAdmin(`/admin/incidents/${made.number}`, cookie);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("frame-src 'self'");
  expect(page.headers.get('content-security-policy')).not.toMatch(/script-src|unsafe-eval/);
  const text = await page.text();
  expect(text).toContain('invoice-2025-03.pdf');
  expect(text).toContain('&#34;&#62;&#60;img src=x onerror=alert(1)&#62;.html');
  expect(text).not.toContain('<img src=x');
  const links = [...text.matchAll(/href="(\/admin\/email-parts\/[^"]+)" download>([^<]+)</g)].map((m) => ({ url: m[1], name: m[2] }));
  expect(links.map((l) => l.name)).toEqual(['screenshot.png', 'invoice-2025-03.pdf', 'printer-error.png', '&#34;&#62;&#60;img src=x onerror=alert(1)&#62;.html']);
  const frames = [...text.matchAll(/<iframe class="email-html" sandbox="" [^>]*src="(\/admin\/email-parts\/[^"]+)"/g)].map((m) => m[1]);
  expect(frames).toHaveLength(2);

  const invoice = await asAdmin(links[1].url, cookie);
  expect(invoice.status).toBe(200);
  expect(await bytes(invoice)).toEqual((await parseEmail(fixture('multipart-attachment.eml'))).attachmentContents[1]);
  expect(invoice.headers.get('content-disposition')).toMatch(/^attachment; /);

  // No session: the sign-in page; another admin session, or the API's token: the link is not theirs.
  const none = await asAdmin(links[1].url, '');
  expect(none.status).toBe(303);
  expect(none.headers.get('location')).toMatch(/^\/login\?next=/);
  expect((await asAdmin(links[1].url, (await adminSignIn(stack.ctx)).cookie)).status).toBe(403);
  expect((await api(links[1].url.replace('/admin/', '/api/'))).status).toBe(403);
  // The session's own link, made 5 minutes ago: expired (the session is known by the SHA-256 of its cookie).
  const idHash = createHash('sha256').update(cookie.slice(cookie.indexOf('=') + 1)).digest('hex');
  const stale = signPartLink(stack.ctx.config.customerData.hashKey, sessionAudience(idHash), { sesMessageId: made.firstId, part: 1 }, Date.now() - LINK_LIFETIME_MS - 1000);
  expect((await asAdmin(`/admin/email-parts/${stale.token}`, cookie)).status).toBe(410);
  const fresh = signPartLink(stack.ctx.config.customerData.hashKey, sessionAudience(idHash), { sesMessageId: made.firstId, part: 1 });
  expect((await asAdmin(`/admin/email-parts/${fresh.token}`, cookie)).status).toBe(200);

  const frame = await asAdmin(frames[1], cookie);
  expect(frame.status).toBe(200);
  const policy = frame.headers.get('content-security-policy')!;
  expect(policy).toContain('sandbox');
  expect(policy).toContain('img-src data:');
  expect(policy).not.toMatch(/script-src|img-src[^;]*http/);
  const document = await frame.text();
  expect(document).toContain('The printer on floor 3 shows the error below.');
  expect(document).toMatch(/<img id="screenshot" alt="screenshot" src="data:image\/png;base64,/);
  expect(document).toContain('1 remote image blocked');
  expect(document).not.toMatch(/<script|onerror|javascript:|expression\(|remote-images\.invalid|<iframe|<form|<input|<meta http-equiv|<base/i);
});

test('an HTML-only email: its body is framed, its script gone; a plain-text email has no HTML body', async () => {
  const htmlId = newId('html-only');
  await stack.deliver(uniqueEmail('html-only.eml', htmlId, `${htmlId}@customer.example`), { messageId: htmlId });
  const htmlIncident = (await stack.settle(htmlId)).incidentNumber!;
  const [htmlEmail] = ((await (await api(`/api/incidents/${htmlIncident}`)).json()) as { emails: ApiEmail[] }).emails;
  expect(htmlEmail).toMatchObject({ hasHtml: true, attachments: [] });
  const { cookie } = await adminSignIn(stack.ctx);
  const page = await (await asAdmin(`/admin/incidents/${htmlIncident}`, cookie)).text();
  const frame = await (await asAdmin(/<iframe class="email-html" [^>]*src="([^"]+)"/.exec(page)![1], cookie)).text();
  expect(frame).toContain('<h1>VPN problem</h1>');
  expect(frame).not.toMatch(/<script|xss-from-script/);
  // Its cid: image names no part of the email: no image source at all.
  expect(frame).not.toMatch(/src="cid:/);

  const textId = newId('plain');
  await stack.deliver(uniqueEmail('plain-text.eml', textId, `${textId}@customer.example`), { messageId: textId });
  const textIncident = (await stack.settle(textId)).incidentNumber!;
  const [textEmail] = ((await (await api(`/api/incidents/${textIncident}`)).json()) as { emails: ApiEmail[] }).emails;
  expect(textEmail).toMatchObject({ hasHtml: false, attachments: [] });
  expect(await (await asAdmin(`/admin/incidents/${textIncident}`, cookie)).text()).not.toContain('<iframe');
});

test('CLI incident show lists the attachments of each email with their sizes', async () => {
  const { stdout } = await run(process.execPath, [CLI, 'incident', 'show', made.number], { env: { ...process.env, ...TEST_STACK_ENV } });
  expect(stdout).toMatch(/^ {4}invoice-2025-03\.pdf {2}application\/pdf {2}\d+ B$/m);
  expect(stdout).toMatch(/^ {4}screenshot\.png {2}image\/png {2}\d+ B {2}inline$/m);
  expect(stdout).toContain(`reply  `);
  expect(stdout).toContain('"><img src=x onerror=alert(1)>.html  text/html');
  const json = JSON.parse((await run(process.execPath, [CLI, 'incident', 'show', made.number, '--json'], { env: { ...process.env, ...TEST_STACK_ENV } })).stdout);
  expect(json.emails).toHaveLength(2);
  expect(json.emails[0].attachments[1]).toEqual({ index: 1, filename: 'invoice-2025-03.pdf', contentType: 'application/pdf', size: expect.any(Number), inline: false });
});
