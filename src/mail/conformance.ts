// Parser conformance against a corpus written by another project (zbateson/mail-mime-parser's
// functional email test). The corpus is data outside the project, described by its own README:
// this runs only when an operator (or the conformance test) points it at the folder.
//
// Compared as that project compares (EmailFunctionalTest.php):
//   From / To (first address): email exactly, display name exactly when given
//   Subject exactly, Message-ID (without angle brackets) when given
//   text: our description (the text body) against the expected file, whitespace-normalised
//   html: our HTML-to-text conversion of the message's HTML body against the expected file,
//         whitespace-normalised (the reference strips tags; we convert)
//   attachments: count, when the expectation names a non-zero count
// Expected files are ISO-8859-1, as the reference test reads them. Date, MIME tree ('parts') and
// signature expectations are about a MIME library's object model and are not compared.
//
// Measured: 61 of 71 messages, 452 of 468 field comparisons (m3005.txt is missing from the corpus).
// The differences we keep on purpose:
//   - UTF-7 (m0006, m0007, m1011): mailparser refuses to decode it (it smuggles markup past filters),
//     and UTF-7 mail is extinct outside spam; the text keeps its '+APw-' sequences.
//   - uuencoded attachments in a text body (m0018): pre-MIME, not extracted; they stay in the text.
//   - several inline text/HTML parts (m0020, m1009, m1015, m1016): the reference reads the first
//     one only; our description keeps every inline part so no words of the sender are lost.
//   - signature parts of multipart/signed (m4002, m4004) count as attachments, as mailparser reports them.
import { promises as fs } from 'fs';
import * as path from 'path';
import { simpleParser } from 'mailparser';
import { htmlToPlainText, parseEmail } from './parse-email';

export interface ConformanceFailure {
  file: string;
  field: string;
  expected: string;
  actual: string;
}

export interface ConformanceResult {
  /** Messages compared (expectations whose email file exists). */
  total: number;
  /** Messages whose every compared field matched. */
  passed: number;
  failures: ConformanceFailure[];
  /** Individual field comparisons, and how many matched. */
  fieldsChecked: number;
  fieldsPassed: number;
  /** Expectations without an email file in the corpus (e.g. m3005). */
  skipped: string[];
}

interface ExpectedAddress {
  name?: string;
  email?: string;
}

interface Expectation {
  From?: ExpectedAddress;
  To?: ExpectedAddress;
  Subject?: string;
  'Message-ID'?: string;
  text?: string;
  html?: string;
  attachments?: number;
}

export const EXPECTED_FILE = 'DERIVED-expected.json';
export const EMAILS_DIR = path.join('tests', '_data', 'emails');

/** As the reference compares bodies: all whitespace runs become one space, ends trimmed. */
export function normaliseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

export async function runParserConformance(corpusDir: string): Promise<ConformanceResult> {
  const doc = JSON.parse(await fs.readFile(path.join(corpusDir, EXPECTED_FILE), 'utf8')) as {
    expected: Record<string, Expectation>;
  };
  const emailsDir = path.join(corpusDir, EMAILS_DIR);
  const result: ConformanceResult = { total: 0, passed: 0, failures: [], fieldsChecked: 0, fieldsPassed: 0, skipped: [] };
  const fileCache = new Map<string, string>();
  const expectedFile = async (name: string): Promise<string> => {
    if (!fileCache.has(name)) fileCache.set(name, await fs.readFile(path.join(emailsDir, 'files', name), 'latin1'));
    return fileCache.get(name)!;
  };

  for (const [key, expected] of Object.entries(doc.expected)) {
    const file = `${key}.txt`;
    const emailPath = path.join(emailsDir, file);
    if (!(await exists(emailPath))) {
      result.skipped.push(file);
      continue;
    }
    result.total += 1;
    let ok = true;
    const check = (field: string, want: unknown, got: unknown) => {
      result.fieldsChecked += 1;
      if (want === got) {
        result.fieldsPassed += 1;
        return;
      }
      ok = false;
      result.failures.push({ file, field, expected: String(want), actual: String(got) });
    };

    const raw = await fs.readFile(emailPath);
    let parsed;
    try {
      parsed = (await parseEmail(raw)).parsed;
    } catch (err) {
      check('parse', 'parsed', `threw ${(err as Error).message}`);
      continue;
    }

    if (expected.From?.email !== undefined) {
      check('From.email', expected.From.email, parsed.from?.address);
      if (expected.From.name !== undefined) check('From.name', expected.From.name, parsed.from?.name);
    }
    if (expected.To?.email !== undefined) {
      check('To.email', expected.To.email, parsed.to[0]?.address);
      if (expected.To.name !== undefined) check('To.name', expected.To.name, parsed.to[0]?.name);
    }
    if (expected.Subject !== undefined) check('Subject', expected.Subject, parsed.subject);
    if (expected['Message-ID'] !== undefined) {
      check('Message-ID', expected['Message-ID'], parsed.messageId?.replace(/^<|>$/g, ''));
    }
    if (expected.text !== undefined) {
      check('text', normaliseWhitespace(await expectedFile(expected.text)), normaliseWhitespace(parsed.description));
    }
    if (expected.html !== undefined) {
      // The description is the text body when there is one, so convert the HTML body on its own.
      const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, keepCidLinks: true, checksumAlgo: false });
      const html = typeof mail.html === 'string' ? htmlToPlainText(mail.html) : '';
      check('html', normaliseWhitespace(await expectedFile(expected.html)), normaliseWhitespace(html));
    }
    if (expected.attachments) check('attachments', expected.attachments, parsed.attachments.length);

    if (ok) result.passed += 1;
  }
  return result;
}
