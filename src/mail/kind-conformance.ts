// Automated-mail classification (src/domain/mail-kind.ts) against other projects' mail, from the
// corpora folder (../shared/corpora, see its README.md):
//   automated  bounces/: rjbs/Mail-DeliveryStatus-BounceParser's t/corpus, 128 messages that
//              MANIFEST.json says are all automated (bounce or auto-reply); each must come out as
//              anything but 'human' (bulk would be wrong too: a bulk mail gets an incident).
//   human      mail-mime-parser/ (the messages DERIVED-expected.json has expectations for) and
//              talon/'s standard replies: mail people wrote; each must come out as 'human'.
//   alerts     alerts/derived-eml (Nagios, Icinga, Monit): monitoring mail, which the parsing rules
//              handle; only their kinds are reported, so that a change of them shows.
// And any further bounce corpus given by folder (runBounceCorpus; `conformance --bounces DIR`), e.g. the
// one `fetch-bounce-corpus` unpacks (src/mail/bounce-corpus.ts): every message of the folder must be
// automated, except those its MANIFEST.json calls 'human', which must be human.
// Each message goes through parseEmail, as an inbound email does.
import { promises as fs } from 'fs';
import path from 'path';
import type { MailKind } from '../domain/types';
import { EMAILS_DIR, EXPECTED_FILE } from './conformance';
import { parseEmail } from './parse-email';

export interface KindMiss {
  file: string;
  expected: string;
  actual: MailKind | `error: ${string}`;
}

export interface KindConformanceResult {
  /** Messages of bounces/ that must be automated, and how many were (kind bounce or auto-reply). */
  automated: { total: number; classified: number; misses: KindMiss[]; /** Of those, how many with the manifest's kind. */ sameKind: number };
  /** Human messages (mail-mime-parser, talon), and how many came out human. */
  human: { total: number; classified: number; misses: KindMiss[] };
  /** Kind of each monitoring alert of alerts/derived-eml, by file. */
  alerts: Record<string, MailKind | `error: ${string}`>;
}

const AUTOMATED_KINDS: ReadonlySet<MailKind> = new Set(['bounce', 'auto-reply']);

async function kindOf(file: string): Promise<MailKind | `error: ${string}`> {
  try {
    return (await parseEmail(await fs.readFile(file))).parsed.kind;
  } catch (err) {
    return `error: ${err instanceof Error ? err.message : String(err)}`;
  }
}

async function readJson<T>(file: string): Promise<T | null> {
  return fs.readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as T,
    () => null,
  );
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/** One more bounce corpus: its messages, and how many came out as they should. */
export interface BounceCorpusResult {
  dir: string;
  automated: { total: number; classified: number; misses: KindMiss[] };
  human: { total: number; classified: number; misses: KindMiss[] };
}

const MESSAGE_SUFFIXES = ['.txt', '.eml', '.msg'];

/**
 * A folder of bounces: with a MANIFEST.json (file -> kind), the files it names, 'human' ones expected
 * human and the rest automated; without one, every .txt, .eml and .msg file, all expected automated.
 */
export async function runBounceCorpus(dir: string): Promise<BounceCorpusResult> {
  const manifest = await readJson<Record<string, string>>(path.join(dir, 'MANIFEST.json'));
  const names = manifest ? Object.keys(manifest) : (await fs.readdir(dir)).filter((n) => MESSAGE_SUFFIXES.some((s) => n.endsWith(s)));
  const result: BounceCorpusResult = { dir, automated: { total: 0, classified: 0, misses: [] }, human: { total: 0, classified: 0, misses: [] } };
  for (const name of names.sort()) {
    const expected = manifest?.[name] ?? 'bounce';
    const actual = await kindOf(path.join(dir, name));
    const tally = expected === 'human' ? result.human : result.automated;
    const ok = expected === 'human' ? actual === 'human' : AUTOMATED_KINDS.has(actual as MailKind);
    tally.total += 1;
    if (ok) tally.classified += 1;
    else tally.misses.push({ file: name, expected, actual });
  }
  return result;
}

/** '115 of 116 bounces classified automated (99.1%); 1 of 1 human' */
export function bounceCorpusSummary(r: BounceCorpusResult): string {
  const share = r.automated.total ? ((100 * r.automated.classified) / r.automated.total).toFixed(1) : '0.0';
  return `${r.automated.classified} of ${r.automated.total} bounces classified automated (${share}%); ${r.human.classified} of ${r.human.total} human`;
}

/** corporaDir holds bounces/, mail-mime-parser/, talon/ and alerts/; a missing folder counts nothing. */
export async function runKindConformance(corporaDir: string): Promise<KindConformanceResult> {
  const result: KindConformanceResult = {
    automated: { total: 0, classified: 0, misses: [], sameKind: 0 },
    human: { total: 0, classified: 0, misses: [] },
    alerts: {},
  };

  const bouncesDir = path.join(corporaDir, 'bounces');
  const manifest = (await readJson<Record<string, string>>(path.join(bouncesDir, 'MANIFEST.json'))) ?? {};
  for (const [name, expected] of Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b))) {
    const actual = await kindOf(path.join(bouncesDir, name));
    result.automated.total += 1;
    if (AUTOMATED_KINDS.has(actual as MailKind)) {
      result.automated.classified += 1;
      if (actual === expected) result.automated.sameKind += 1;
    } else result.automated.misses.push({ file: `bounces/${name}`, expected, actual });
  }

  const human: string[] = [];
  const mimeDir = path.join(corporaDir, 'mail-mime-parser');
  const expectations = await readJson<{ expected: Record<string, unknown> }>(path.join(mimeDir, EXPECTED_FILE));
  for (const key of Object.keys(expectations?.expected ?? {})) {
    const file = path.join(mimeDir, EMAILS_DIR, `${key}.txt`);
    if (await exists(file)) human.push(file);
  }
  const repliesDir = path.join(corporaDir, 'talon', 'tests', 'fixtures', 'standard_replies');
  const replies = await fs.readdir(repliesDir).catch(() => [] as string[]);
  for (const name of replies.filter((n) => n.endsWith('.eml')).sort()) human.push(path.join(repliesDir, name));
  for (const file of human) {
    const actual = await kindOf(file);
    result.human.total += 1;
    if (actual === 'human') result.human.classified += 1;
    else result.human.misses.push({ file: path.relative(corporaDir, file), expected: 'human', actual });
  }

  const alertsDir = path.join(corporaDir, 'alerts', 'derived-eml');
  const alerts = await fs.readdir(alertsDir).catch(() => [] as string[]);
  for (const name of alerts.filter((n) => n.endsWith('.eml')).sort()) result.alerts[name] = await kindOf(path.join(alertsDir, name));
  return result;
}

/** The one-line summary the conformance command prints. */
export function kindSummary(result: KindConformanceResult): string {
  return (
    `automated mail: ${result.automated.classified} of ${result.automated.total} classified automated; ` +
    `human mail: ${result.human.classified} of ${result.human.total} classified human`
  );
}
