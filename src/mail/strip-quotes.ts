// A customer's reply -> what the customer wrote, without the quoted history and the signature.
// The recognising is planer's (a port of mailgun/talon): its DOM cuts for quote markup (gmail_quote,
// blockquote, Outlook's divRplyFwdMsg and separator lines) and its line classifier for text ("On ... wrote:",
// "-----Original Message-----", "From:/Von:/De: ... Sent:", "> " lines, in several languages). Its DOM
// cuts use XPath, which of the Node DOMs only jsdom implements.
// Mail is hostile, and planer's work is not linear: its line patterns take time growing with the cube
// of a line's length and of the number of lines, so it only sees a bounded view (the first lines, each
// cut to its start and end); its XPath work grows with the square of the number of elements and jsdom's
// parser with the square of the nesting, so HTML gets a DOM only when a streaming tokenizer (htmlparser2)
// finds it small, and the cuts only when the DOM is small. Everything else gets the text pass only.
import { isSmallMarkup } from './markup-size';
import { htmlToPlainText } from './parse-email';
import { wellFormed } from '../domain/short-description';

/** Characters of each body read at all. */
const MAX_INPUT_CHARS = 200_000;
/** Characters of the result at most. */
export const MAX_STRIPPED_CHARS = 100_000;
/** Lines planer classifies; a quote starting below them is not recognised (the text stays whole). */
const MAX_EXAMINED_LINES = 400;
/**
 * Of a longer line, planer sees the first 56 and the last 16 characters: enough for "On <date>, <name>
 * <address> wrote:" and "Am <date> um <time> schrieb <name> <address>:" with long names and addresses.
 */
const VIEW_HEAD_CHARS = 56;
const VIEW_TAIL_CHARS = 16;
/** HTML with more elements or deeper nesting is converted to text and gets the text pass only. */
const MAX_DOM_ELEMENTS = 2_000;
const MAX_DOM_DEPTH = 200;

// planer and jsdom come without type declarations: the few members used here, typed.
interface DomElement {
  outerHTML: string;
  firstElementChild: DomElement | null;
  nextElementSibling: DomElement | null;
  nextSibling: DomElement | null;
  parentNode: { removeChild(child: DomElement): void } | null;
}
interface DomDocument {
  documentElement: DomElement;
  getElementById(id: string): DomElement | null;
}
interface Planer {
  markMessageLines(lines: string[]): string;
  processMarkedLines(lines: string[], markers: string, flags: { wereLinesDeleted?: boolean; lastLine?: number }): string[];
}
interface HtmlPlaner {
  createEmailDocument(html: string, base: DomDocument): DomDocument;
  cutGmailQuote(doc: DomDocument): boolean;
  cutBlockQuote(doc: DomDocument): boolean;
  cutMicrosoftQuote(doc: DomDocument): boolean;
  cutById(doc: DomDocument): boolean;
}
interface Jsdom {
  JSDOM: new (html: string, options: { virtualConsole: unknown }) => { window: { document: DomDocument } };
  VirtualConsole: new () => unknown;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const planer = require('planer') as Planer;
// planer's DOM cuts, called one by one (its extractFromHtml would also run the unbounded line classifier).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const htmlPlaner = require('planer/lib/htmlPlaner') as HtmlPlaner;

/** The customer's own words as plain text. Never throws: on any failure, the whole text. */
export function stripQuotedText(input: { text: string | null; html: string | null }): string {
  const text = normalise(typeof input.text === 'string' ? input.text.slice(0, MAX_INPUT_CHARS) : '');
  const html = typeof input.html === 'string' ? input.html.slice(0, MAX_INPUT_CHARS) : '';
  let converted: string | undefined;
  const htmlAsText = () => (converted ??= normalise(htmlToPlainText(html))); // converted once at most
  try {
    // The HTML first (quote markup is explicit there), the text part when that leaves nothing.
    const candidates = [() => (html.trim() ? htmlWithoutQuotes(html, htmlAsText) : ''), () => withoutQuotedLines(text)];
    for (const candidate of candidates) {
      const stripped = finish(withoutSignature(withoutTrailingQuoteRemains(candidate())));
      if (stripped) return stripped;
    }
  } catch {
    // fall through to the unstripped text
  }
  return finish(text.trim() ? text : htmlAsText());
}

function htmlWithoutQuotes(html: string, htmlAsText: () => string): string {
  const doc = isSmallMarkup(html, { elements: MAX_DOM_ELEMENTS, depth: MAX_DOM_DEPTH }) ? htmlPlaner.createEmailDocument(html, baseDocument()) : null;
  if (!doc || !isSmallTree(doc.documentElement)) return withoutQuotedLines(htmlAsText());
  cutAfter(doc.getElementById('appendonsend')); // Outlook: everything after this marker is the quoted mail
  // planer's cuts in planer's order, the first that finds its markup ending the search. Its last one,
  // cutFromBlock, is left out: it removes only the "From:" header block (or, when one element holds the
  // whole mail, everything), while the text pass below cuts from that header to the end, as it must.
  const cuts = [htmlPlaner.cutGmailQuote, htmlPlaner.cutBlockQuote, htmlPlaner.cutMicrosoftQuote, htmlPlaner.cutById];
  for (const cut of cuts) if (cut(doc)) break;
  // What is left may still hold a plain-text quote ("On ... wrote:", "From: ... Sent:", "> " lines).
  return withoutQuotedLines(normalise(htmlToPlainText(doc.documentElement.outerHTML)));
}

/** planer's line classifier on a bounded view of the text; the lines themselves are kept as they are. */
function withoutQuotedLines(text: string): string {
  const lines = text.split('\n');
  const examined = lines.slice(0, MAX_EXAMINED_LINES);
  const markers = planer.markMessageLines(examined.map(viewOfLine));
  const flags: { wereLinesDeleted?: boolean; lastLine?: number } = {};
  const kept = planer.processMarkedLines(examined, markers, flags);
  // A quotation running to the end of the examined lines goes on below them.
  const quoteRunsOn = flags.wereLinesDeleted === true && (flags.lastLine ?? 0) >= examined.length;
  return (quoteRunsOn ? kept : kept.concat(lines.slice(MAX_EXAMINED_LINES))).join('\n');
}

function viewOfLine(line: string): string {
  if (line.length <= VIEW_HEAD_CHARS + VIEW_TAIL_CHARS + 1) return line;
  return `${line.slice(0, VIEW_HEAD_CHARS)} ${line.slice(line.length - VIEW_TAIL_CHARS)}`;
}

/**
 * Drops what a cut quote leaves at the end: separator lines ("-----", "_____", an <hr> as text) and
 * quoted lines (iOS Mail puts its "On ... wrote:" in a blockquote of its own, before the quote's).
 */
function withoutTrailingQuoteRemains(text: string): string {
  const lines = text.split('\n');
  while (lines.length > 0) {
    const last = lines[lines.length - 1].trim();
    if (!/^[-_=*]*$/.test(last) && !last.startsWith('>')) break;
    lines.pop();
  }
  return lines.join('\n');
}

/** Drops a signature: what follows the last "-- " line (RFC 3676), unless nothing would be left. */
function withoutSignature(text: string): string {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i > 0; i--) {
    if (lines[i].length > 2 && lines[i].trimEnd() === '--') {
      const before = lines.slice(0, i).join('\n');
      return before.trim() ? before : text;
    }
  }
  return text;
}

/** One newline convention, no-break spaces as spaces, no control characters but tab and newline. */
function normalise(text: string): string {
  return (
    wellFormed(text)
      .replace(/\r\n?/g, '\n')
      .replace(/\u00a0/g, ' ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
  );
}

/** Trailing spaces off every line, at most one blank line in a row, trimmed, at most MAX_STRIPPED_CHARS. */
function finish(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trimEnd();
    if (trimmed || (out.length > 0 && out[out.length - 1] !== '')) out.push(trimmed);
  }
  let result = out.join('\n').trim();
  if (result.length > MAX_STRIPPED_CHARS) {
    let cut = MAX_STRIPPED_CHARS;
    const code = result.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // do not split a surrogate pair
    result = result.slice(0, cut).trimEnd();
  }
  return result;
}

/** Removes the element and everything after it in its parent. */
function cutAfter(element: DomElement | null): void {
  while (element?.nextSibling) element.parentNode?.removeChild(element.nextSibling);
  element?.parentNode?.removeChild(element);
}

/** The same bounds on the tree jsdom built (its parser may make more elements than there are tags). */
function isSmallTree(root: DomElement): boolean {
  const stack: Array<[DomElement, number]> = [[root, 0]];
  let count = 0;
  while (stack.length > 0) {
    const [element, depth] = stack.pop()!;
    if (++count > MAX_DOM_ELEMENTS || depth > MAX_DOM_DEPTH) return false;
    for (let child = element.firstElementChild; child; child = child.nextElementSibling) stack.push([child, depth + 1]);
  }
  return true;
}

let base: DomDocument | undefined;
/** The document planer creates its documents from: made once, when first needed (jsdom is big); no script runs, nothing is fetched, nothing logged. */
function baseDocument(): DomDocument {
  if (!base) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { JSDOM, VirtualConsole } = require('jsdom') as Jsdom;
    base = new JSDOM('', { virtualConsole: new VirtualConsole() }).window.document;
  }
  return base;
}
