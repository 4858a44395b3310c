// The default parsing rules against monitoring mails lifted from Zammad's tests (the corpus folder's
// alerts/): derived-eml/MANIFEST.json says which host, service and state Zammad extracts from each.
//
// How a mail is compared (Zammad's assertions are about its ticket, not only about the mail):
//  - host and service exactly (a mail without a service expects null). One normalisation: Zammad keeps
//    Icinga 2's ` (Display Name: "...")` annotation in the value, our rule leaves it out (so the alert key is
//    the bare name, as in the subject and in other templates); it is dropped from the expected value too.
//  - a problem mail (ticket_state "new"): the state exactly, and it must not read as a recovery;
//  - a recovery mail (ticket_state "closed"): it must read as a recovery. Its state is not compared: Zammad's
//    assertion is the ORIGINAL problem state it kept on the ticket (the manifest's note), not this mail's.
import { htmlToPlainText } from './parse-email';
import { promises as fs } from 'fs';
import path from 'path';
import { simpleParser } from 'mailparser';
import { applyParsingRules, DEFAULT_PARSING_RULES, type ParsedAlert } from '../domain/parsing-rules';

export interface AlertConformanceResult {
  total: number;
  passed: number;
  failures: { file: string; expected: unknown; actual: unknown }[];
}

interface ManifestMessage {
  file: string;
  zammad_asserts: { ticket_state?: string; host?: string; service?: string; state?: string };
}

const DISPLAY_NAME = / \(Display Name: "[^"\r\n]*"\)$/;

/** corpusDir is the alerts folder (holding derived-eml/) or derived-eml itself. */
export async function runAlertConformance(corpusDir: string): Promise<AlertConformanceResult> {
  const emlDir = (await exists(path.join(corpusDir, 'MANIFEST.json'))) ? corpusDir : path.join(corpusDir, 'derived-eml');
  const manifest = JSON.parse(await fs.readFile(path.join(emlDir, 'MANIFEST.json'), 'utf8')) as { messages: ManifestMessage[] };
  const result: AlertConformanceResult = { total: 0, passed: 0, failures: [] };

  for (const message of manifest.messages) {
    result.total += 1;
    const asserts = message.zammad_asserts;
    const recovery = asserts.ticket_state === 'closed';
    const expected: { host: string | null; service: string | null; state?: string | null; recovery: boolean } = {
      host: normalise(asserts.host),
      service: normalise(asserts.service),
      ...(recovery ? { recovery: true } : { state: asserts.state ?? null, recovery: false }),
    };
    let alert: ParsedAlert | null;
    try {
      alert = applyParsingRules(DEFAULT_PARSING_RULES, await readAlertEmail(path.join(emlDir, message.file)));
    } catch (err) {
      result.failures.push({ file: message.file, expected, actual: `error: ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    const actual = alert && {
      ruleId: alert.ruleId,
      host: alert.host,
      service: alert.service,
      state: alert.state,
      recovery: alert.recovery,
    };
    const ok =
      actual !== null &&
      actual.host === expected.host &&
      actual.service === expected.service &&
      actual.recovery === expected.recovery &&
      (recovery || actual.state === expected.state);
    if (ok) result.passed += 1;
    else result.failures.push({ file: message.file, expected, actual });
  }
  return result;
}

function normalise(value: string | undefined): string | null {
  return value === undefined ? null : value.replace(DISPLAY_NAME, '');
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/** Sender address, subject and text body (an HTML-only mail stripped of its tags, crudely). */
export async function readAlertEmail(file: string): Promise<{ sender: string; subject: string; body: string }> {
  const mail = await simpleParser(await fs.readFile(file), { skipHtmlToText: true, skipTextToHtml: true });
  const sender = mail.from?.value[0]?.address ?? '';
  const text = typeof mail.text === 'string' ? mail.text : '';
  const html = typeof mail.html === 'string' ? mail.html : '';
  return { sender, subject: mail.subject ?? '', body: text.trim() !== '' ? text : htmlToPlainText(html) };
}

