// An email's HTML body as agents are shown it: sanitised by DOMPurify (on jsdom) into a document of its
// own, which the admin page shows in a sandboxed frame under a strict Content-Security-Policy. The mail is
// a stranger's: no script, no event handler, no form, no frame, no javascript: URL survives; nothing is
// fetched from anywhere (remote images are dropped and counted, CSS that could load or run anything is
// dropped), and images the email carries itself (cid:) are put in as data: URLs.
import { isSmallMarkup } from '../mail/markup-size';
import { htmlToPlainText } from '../mail/parse-email';
import { esc, html as markup, Html } from './html';

/** Characters of the HTML body sanitised at most; the rest is cut (and said so). */
export const MAX_SHOWN_HTML_CHARS = 1_000_000;
/** Bigger markup is shown as its plain text: jsdom's parser is slow on deep nesting. */
const MARKUP_LIMITS = { elements: 50_000, depth: 400 };
/** Inline images put in as data: URLs: only these types (no SVG: it is a document, not a picture). */
const INLINE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
export const MAX_INLINE_IMAGE_BYTES = 2 * 1024 * 1024;
export const MAX_INLINE_IMAGES_BYTES = 8 * 1024 * 1024;
export const MAX_INLINE_IMAGES = 20;

/**
 * CSS that could fetch (url(), image-set(), @import...), run (expression(), behavior, -moz-binding) or hide
 * either behind an escape: a style attribute or element holding any of it is dropped whole.
 */
const HOSTILE_CSS = /(?:url|image|image-set|-webkit-image-set|cross-fade|element|expression|paint)\s*\(|@import|@font-face|behavior\s*:|-moz-binding|javascript:|\\/i;
/** Images the email carries itself, as cid: URLs name them. */
const CID_URL = /\bcid:([^\s"'<>)]+)/gi;
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[a-z0-9+/=\s]*$/i;
const LINK = /^(?:https?:|mailto:)/i;
/** An image from another place (a relative one would name our own origin: dropped too, not counted). */
const REMOTE = /^(?:(?:https?|ftp):)?\/\//i;

export interface InlineImage {
  contentId: string;
  contentType: string;
  content: Buffer;
}

export interface EmailHtmlView {
  /** A whole HTML document, safe to serve in a sandboxed frame. */
  document: string;
  /** Images that named another place (a tracking pixel, a remote logo): not shown. */
  remoteImagesBlocked: number;
  /** cid: images shown from the email's own parts. */
  inlineImagesShown: number;
  /** The body was longer than MAX_SHOWN_HTML_CHARS, or too deeply nested and shown as text. */
  shortened: boolean;
}

/** The Content-IDs (lower-cased, without <>) the HTML's cid: URLs name, at most MAX_INLINE_IMAGES. */
export function cidReferences(html: string): string[] {
  const ids = new Set<string>();
  for (const match of html.slice(0, MAX_SHOWN_HTML_CHARS).matchAll(CID_URL)) {
    ids.add(contentIdKey(match[1]));
    if (ids.size >= MAX_INLINE_IMAGES) break;
  }
  return [...ids];
}

/** A cid: URL's id as the Content-ID header names it: percent-decoded (RFC 2392), no <>, lower case. */
function contentIdKey(value: string): string {
  let id = value;
  try {
    id = decodeURIComponent(value);
  } catch {
    // not percent-encoded after all
  }
  return id.replace(/^<|>$/g, '').toLowerCase();
}

/** The data: URLs of the inline images that may be shown, by Content-ID key, within the bounds. */
function inlineImageUrls(images: InlineImage[]): Map<string, string> {
  const urls = new Map<string, string>();
  let bytes = 0;
  for (const image of images) {
    const type = image.contentType.toLowerCase();
    if (!INLINE_IMAGE_TYPES.has(type) || image.content.length > MAX_INLINE_IMAGE_BYTES) continue;
    if (urls.size >= MAX_INLINE_IMAGES || bytes + image.content.length > MAX_INLINE_IMAGES_BYTES) break;
    bytes += image.content.length;
    urls.set(contentIdKey(image.contentId), `data:${type};base64,${image.content.toString('base64')}`);
  }
  return urls;
}

// DOMPurify and jsdom are used through these few members (the project compiles without the DOM typings).
interface DomElement {
  nodeName: string;
  textContent: string | null;
  innerHTML: string;
  outerHTML: string;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  hasAttribute(name: string): boolean;
  remove(): void;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
}
interface Purify {
  sanitize(html: string, config: Record<string, unknown>): DomElement;
  addHook(name: 'afterSanitizeAttributes' | 'uponSanitizeElement', hook: (node: DomElement) => void): void;
  removeAllHooks(): void;
}

let purifier: Purify | undefined;
/** One DOMPurify on one jsdom window, made when first needed (jsdom is big); no script runs there, nothing is fetched. */
function purify(): Purify {
  if (!purifier) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { JSDOM, VirtualConsole } = require('jsdom') as { JSDOM: new (html: string, options: { virtualConsole: unknown }) => { window: unknown }; VirtualConsole: new () => unknown };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const createDOMPurify = require('dompurify') as (window: unknown) => Purify;
    purifier = createDOMPurify(new JSDOM('', { virtualConsole: new VirtualConsole() }).window);
  }
  return purifier;
}

const PURIFY_CONFIG = {
  WHOLE_DOCUMENT: true,
  RETURN_DOM: true,
  // HTML only: no SVG or MathML (their own script and link elements).
  USE_PROFILES: { html: true },
  // DOMPurify drops script, event handlers and javascript: URLs itself; these go too: no form posts
  // anything, no frame or object loads anything, no media element fetches, no base or meta redirects.
  FORBID_TAGS: ['form', 'input', 'button', 'select', 'option', 'textarea', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet',
    'base', 'link', 'meta', 'audio', 'video', 'source', 'track', 'picture', 'portal', 'dialog', 'template', 'noscript'],
  FORBID_ATTR: ['srcset', 'background', 'poster', 'action', 'formaction', 'ping', 'lowsrc', 'dynsrc', 'longdesc', 'usemap', 'target'],
};

const FRAME_STYLE = 'body{font-family:system-ui,sans-serif;margin:.5em;color:#222;background:#fff}';

/** The email's HTML body as a safe document; inline images are those of the email's parts (any order). */
export function emailHtmlDocument(html: string, inlineImages: InlineImage[]): EmailHtmlView {
  const cut = html.length > MAX_SHOWN_HTML_CHARS;
  const input = cut ? html.slice(0, MAX_SHOWN_HTML_CHARS) : html;
  if (!isSmallMarkup(input, MARKUP_LIMITS)) {
    return { document: frameDocument('', markup`<pre>${htmlToPlainText(input)}</pre>`, 0, true), remoteImagesBlocked: 0, inlineImagesShown: 0, shortened: true };
  }
  const images = inlineImageUrls(inlineImages);
  let remoteImagesBlocked = 0;
  let inlineImagesShown = 0;
  const dompurify = purify();
  dompurify.removeAllHooks();
  dompurify.addHook('uponSanitizeElement', (node) => {
    if (node.nodeName === 'STYLE' && HOSTILE_CSS.test(node.textContent ?? '')) node.textContent = '';
  });
  dompurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.hasAttribute('style') && HOSTILE_CSS.test(node.getAttribute('style') ?? '')) node.removeAttribute('style');
    if (node.nodeName === 'IMG') {
      const src = (node.getAttribute('src') ?? '').trim();
      const cid = /^cid:(.+)$/i.exec(src);
      const inline = cid ? images.get(contentIdKey(cid[1])) : undefined;
      if (inline) {
        node.setAttribute('src', inline);
        inlineImagesShown += 1;
      } else if (!DATA_IMAGE.test(src)) {
        if (REMOTE.test(src)) remoteImagesBlocked += 1;
        node.removeAttribute('src');
      }
    }
    // A link is shown with its address, never followed from the frame (it has no allow-popups or
    // allow-top-navigation): a customer's mail may carry a phishing link, and an agent copies it on purpose.
    if (node.hasAttribute('href')) {
      const href = (node.getAttribute('href') ?? '').trim();
      if (node.nodeName === 'A' && LINK.test(href)) {
        node.setAttribute('title', href.slice(0, 2000));
        node.setAttribute('rel', 'noopener noreferrer');
      } else node.removeAttribute('href');
    }
  });
  let root: DomElement;
  try {
    root = dompurify.sanitize(input, PURIFY_CONFIG);
  } finally {
    dompurify.removeAllHooks();
  }
  const styles = [...root.querySelectorAll('head style')].map((style) => style.outerHTML).join('');
  const body = root.querySelector('body')?.innerHTML ?? '';
  return { document: frameDocument(styles, new Html(body), remoteImagesBlocked, cut), remoteImagesBlocked, inlineImagesShown, shortened: cut };
}

function frameDocument(styles: string, body: Html, remoteImagesBlocked: number, shortened: boolean): string {
  const notes = [
    remoteImagesBlocked ? `${remoteImagesBlocked} remote image${remoteImagesBlocked === 1 ? '' : 's'} blocked` : '',
    shortened ? 'the email is long or deeply nested: shown shortened' : '',
  ].filter(Boolean);
  const note = notes.length ? `<p style="background:#fff3cd;color:#222;padding:.3em;font:13px system-ui,sans-serif" class="e2t-note">${esc(notes.join('; '))}</p>` : '';
  return `<!doctype html><html><head><meta charset="utf-8"><style>${FRAME_STYLE}</style>${styles}</head><body>${note}${body}</body></html>`;
}
