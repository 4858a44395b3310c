// Public bounce corpora to measure the automated-mail rules against, fetched at run time into a cache
// folder (never copied into the repository): each is a registry package whose source distribution ships
// bounce messages of many mail servers as test data.
//   flufl.bounce  Mailman's bounce detector (PyPI): tests/data, 117 messages from Postfix, Exim, qmail,
//                 Sendmail, Exchange, GroupWise, Yahoo, AOL, MDaemon, SMTP32, virus gateways, ... One of
//                 them is not a bounce, by the corpus's own word (its test: "Not a bounce but has confused
//                 groupwise"): the manifest written beside the data lists it as human.
// The folder then holds MANIFEST.json (file -> 'bounce' or 'human'), which `conformance --bounces DIR`
// reads (src/mail/kind-conformance.ts).
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface BounceCorpusSource {
  /** The package, as its registry names it, and the version measured. */
  name: string;
  version: string;
  /** The sdist's top folder and, inside it, the folder of messages. */
  top: string;
  dataDir: string;
  /** Which files of dataDir are messages. */
  messageSuffix: string;
  /** Files of the data that are not bounces, by the corpus's own tests. */
  notBounces: readonly string[];
}

export const FLUFL_BOUNCE: BounceCorpusSource = {
  name: 'flufl.bounce',
  version: '6.0.0',
  top: 'flufl_bounce-6.0.0',
  dataDir: 'tests/data',
  messageSuffix: '.txt',
  notBounces: ['groupwise_03.txt'],
};

export const MANIFEST_FILE = 'MANIFEST.json';

/**
 * Downloads the corpus's source distribution with pip (PyPI only, no dependencies, no wheel) into
 * cacheDir, unpacks it there and writes MANIFEST.json beside its messages. Returns the messages' folder.
 * A folder already unpacked is reused. `python` is the interpreter whose pip downloads (default python3).
 */
export async function fetchBounceCorpus(cacheDir: string, source: BounceCorpusSource = FLUFL_BOUNCE, python = 'python3'): Promise<string> {
  const dataDir = path.join(cacheDir, source.top, source.dataDir);
  const manifest = path.join(dataDir, MANIFEST_FILE);
  if (await fs.stat(manifest).then(() => true, () => false)) return dataDir;
  await fs.mkdir(cacheDir, { recursive: true });
  const sdist = path.join(cacheDir, `${source.top}.tar.gz`);
  if (!(await fs.stat(sdist).then(() => true, () => false))) {
    await run(python, ['-m', 'pip', 'download', `${source.name}==${source.version}`, '--no-deps', '--no-binary', ':all:', '-d', cacheDir], { timeout: 300_000 });
  }
  await run('tar', ['-xzf', sdist, '-C', cacheDir], { timeout: 60_000 });
  const files = (await fs.readdir(dataDir)).filter((f) => f.endsWith(source.messageSuffix)).sort();
  if (files.length === 0) throw new Error(`${source.name} ${source.version}: no messages in ${dataDir}`);
  const kinds = Object.fromEntries(files.map((f) => [f, source.notBounces.includes(f) ? 'human' : 'bounce']));
  await fs.writeFile(manifest, `${JSON.stringify(kinds, null, 2)}\n`);
  return dataDir;
}
