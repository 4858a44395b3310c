// A forward written into the text of an email: Gmail's "---------- Forwarded message ---------", Outlook's
// "-----Original Message-----" and "From: … Sent: … To: … Subject:" blocks, Apple Mail's "Begin forwarded
// message:", Thunderbird's "-------- Forwarded Message --------", and their translations. Recognising them
// is the email-forward-parser library's (Crisp's, many clients and locales).
// Its patterns backtrack: their time grows with the square or cube of a line's length and of runs of blank
// space (10,000 newlines take seconds, 40,000 minutes), so it only sees a bounded view of the text: the first
// lines, runs of blank lines and of spaces collapsed, each line cut to its start. What it finds there is
// mapped back to the whole text, so the customer's words and the agent's note come out whole, however long.
import EmailForwardParser from 'email-forward-parser';
import type { Address } from '../domain/types';

/** Lines of the view: the agent's note, the separator and the original's header fit in far fewer. */
const VIEW_LINES = 100;
/** Characters of a line in the view (a From line with a long name and address is well within). */
const VIEW_LINE_CHARS = 200;
/** Leading spaces kept in the view (Outlook indents a forwarded message by four). */
const VIEW_INDENT_MAX = 4;

export interface InlineForward {
  /** The original sender as the forward's header shows it; null when it names none. */
  from: Address | null;
  /** The header line that names the original sender (as the view shows it), for the one-mailbox check. */
  fromLine: string | null;
  /** The original subject, or null when the header shows none. */
  subject: string | null;
  /** What the forwarder wrote above the forwarded message. */
  note: string;
  /** The forwarded message's own text, whole. */
  body: string;
}

interface ViewLine {
  text: string;
  /** The index of the text line it shows. */
  line: number;
}

const parser = new EmailForwardParser();

/** The forward in the text (its subject helps recognise Outlook's), or null when it holds none. */
export function findInlineForward(text: string, subject: string): InlineForward | null {
  const lines = text.split('\n');
  const view = viewOf(lines);
  const shown = view.map((v) => v.text).join('\n');
  // Separators first: given a subject, the library reports the forwarder's subject (without its prefix) over
  // the one in the forwarded header. Only Outlook's bare "From: … Sent:" block needs the subject ("FW: …").
  let found = parser.read(shown);
  if (!found.forwarded) found = parser.read(shown, subject);
  if (!found.forwarded || found.email.body === undefined) return null;
  const original = found.email;

  const bodyAt = suffixStart(view, original.body ?? '');
  const body = bodyAt === null ? (original.body ?? '') + rest(lines, view) : unquoted(lines.slice(bodyAt));
  const noteEnd = prefixEnd(view, found.message ?? '');
  const note = withoutSeparatorLines(noteEnd === null ? (found.message ?? '') : lines.slice(0, noteEnd).join('\n'));
  const from = original.from?.address ? { address: original.from.address, name: original.from.name ?? '' } : null;
  // The header line naming the sender is below the note (which may name the customer too).
  const header = view.filter((v) => noteEnd === null || v.line >= noteEnd);
  return {
    from,
    fromLine: from ? (header.find((v) => v.text.toLowerCase().includes(from.address.toLowerCase()))?.text ?? null) : null,
    subject: original.subject || null,
    note,
    body,
  };
}

/** The first lines of the text, bounded: what the library is given. */
function viewOf(lines: string[]): ViewLine[] {
  const view: ViewLine[] = [];
  let blank = false;
  for (let i = 0; i < lines.length && view.length < VIEW_LINES; i++) {
    const raw = lines[i].slice(0, VIEW_LINE_CHARS * 4).replace(/\uFEFF/g, '').replace(/\u00a0/g, ' ');
    const words = raw.trim();
    if (words === '') {
      if (!blank) view.push({ text: '', line: i });
      blank = true;
      continue;
    }
    blank = false;
    const indent = Math.min(raw.length - raw.trimStart().length, VIEW_INDENT_MAX);
    view.push({ text: (' '.repeat(indent) + words.split(/\s+/).join(' ')).slice(0, VIEW_LINE_CHARS), line: i });
  }
  return view;
}

/** A text as the comparisons see it: quote marks and indents off each line, blank runs as one, trimmed. */
function comparable(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/^[ \t]*(>[ \t]?)*/, '').trim())
    .join('\n')
    .replace(/\n{2,}/g, '\n\n')
    .trim();
}

/** The text line where the view's tail that the library returned as the original body starts. */
function suffixStart(view: ViewLine[], body: string): number | null {
  const wanted = comparable(body);
  if (wanted === '') return null;
  for (let i = 0; i < view.length; i++) {
    if (comparable(view.slice(i).map((v) => v.text).join('\n')) === wanted) return view[i].line;
  }
  return null;
}

/** The text line where the view's head that the library returned as the note ends. */
function prefixEnd(view: ViewLine[], note: string): number | null {
  const wanted = comparable(note);
  for (let i = 0; i <= view.length; i++) {
    if (comparable(view.slice(0, i).map((v) => v.text).join('\n')) === wanted) return i < view.length ? view[i].line : null;
  }
  return null;
}

/** The text below the view, for a body the view could not place. */
function rest(lines: string[], view: ViewLine[]): string {
  const after = view.length > 0 ? view[view.length - 1].line + 1 : 0;
  return after < lines.length ? `\n${lines.slice(after).join('\n')}` : '';
}

/** Lines that all start with '>' (Apple Mail quotes the forwarded message) lose one level of quoting. */
function unquoted(lines: string[]): string {
  const quoted = lines.every((line) => line.trim() === '' || line.trimStart().startsWith('>'));
  return (quoted ? lines.map((line) => line.replace(/^[ \t]*>[ \t]?/, '')) : lines).join('\n').trim();
}

/**
 * The note without the separator lines it ends with: Outlook's "-----Original Message-----" (and its
 * translations, "-----Ursprüngliche Nachricht-----") stays above the "From:" block the library splits at.
 */
function withoutSeparatorLines(note: string): string {
  const lines = note.trimEnd().split('\n');
  // Fixed-length tests at both ends, on a short line: linear however long a line is.
  const separator = (line: string) => {
    const t = line.trim();
    return t.length >= 3 && t.length <= 100 && /^[-_=]{3}/.test(t) && /[-_=]{3}$/.test(t);
  };
  while (lines.length > 0 && (lines[lines.length - 1].trim() === '' || separator(lines[lines.length - 1]))) lines.pop();
  return lines.join('\n').trim();
}
