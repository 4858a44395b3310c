// Quote stripping against mailgun/talon's reply fixtures (a corpus folder given on the command line):
// each standard_replies/<name>.eml, stripped, equals <name>_reply_text when that file exists, else "Hello";
// each html_replies/*.html, stripped to text, equals "Hi. I am fine.\n\nThanks,\nAlex". As in talon's tests,
// standard replies are compared with whitespace normalised (runs of it as one space), HTML ones ignoring it.
import { promises as fs } from 'fs';
import path from 'path';
import { simpleParser } from 'mailparser';
import { stripQuotedText } from './strip-quotes';

export interface QuoteConformanceResult {
  total: number;
  passed: number;
  failures: { file: string; expected: string; actual: string }[];
}

const HTML_REPLY_TEXT = 'Hi. I am fine.\n\nThanks,\nAlex';

/** corpusDir is the talon folder (the one holding tests/fixtures); file names in failures are relative to it. */
export async function runQuoteConformance(corpusDir: string): Promise<QuoteConformanceResult> {
  const result: QuoteConformanceResult = { total: 0, passed: 0, failures: [] };
  const check = (file: string, expected: string, actual: string, whitespace: ' ' | '') => {
    result.total += 1;
    if (words(expected).join(whitespace) === words(actual).join(whitespace)) result.passed += 1;
    else result.failures.push({ file: path.relative(corpusDir, file), expected, actual });
  };

  const standard = path.join(corpusDir, 'tests', 'fixtures', 'standard_replies');
  for (const name of await filesEndingWith(standard, '.eml')) {
    const file = path.join(standard, name);
    const mail = await simpleParser(await fs.readFile(file), { skipHtmlToText: true, skipTextToHtml: true });
    const text = typeof mail.text === 'string' ? mail.text : null;
    const html = typeof mail.html === 'string' ? mail.html : null;
    check(file, await expectedReplyText(standard, name), stripQuotedText({ text, html }), ' ');
  }

  const htmlDir = path.join(corpusDir, 'tests', 'fixtures', 'html_replies');
  for (const name of await filesEndingWith(htmlDir, '.html')) {
    const file = path.join(htmlDir, name);
    check(file, HTML_REPLY_TEXT, stripQuotedText({ text: null, html: await fs.readFile(file, 'utf8') }), '');
  }
  return result;
}

async function filesEndingWith(dir: string, extension: string): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return names.filter((name) => name.endsWith(extension)).sort();
}

async function expectedReplyText(dir: string, emlName: string): Promise<string> {
  const replyText = path.join(dir, `${emlName.slice(0, -'.eml'.length)}_reply_text`);
  return fs.readFile(replyText, 'utf8').then(
    (text) => text,
    () => 'Hello',
  );
}

function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}
