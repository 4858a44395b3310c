// Automated-mail classification against other projects' mail, when ../shared/corpora is present (a
// conformance run); the project's own tests never depend on it. See src/mail/kind-conformance.ts.
import { existsSync } from 'fs';
import * as path from 'path';
import { kindSummary, runKindConformance } from '../../src/mail/kind-conformance';

const CORPORA = path.resolve(__dirname, '../../../shared/corpora');
const present = existsSync(path.join(CORPORA, 'bounces', 'MANIFEST.json'));

/**
 * Measured: 124 of 128 automated (before the rule families of src/domain/mail-kind/: 121), 83 of 83 human.
 * The four left are plain spam that the corpus files as bounces (BounceParser's own test says of one:
 * "a non-bounce spam message is parsed as a bounce"): a spammer's mail, written to look like a person's,
 * with nothing automated about it. SES's spam verdict is what catches them, not this classification.
 */
const MIN_AUTOMATED = 124;
const NOT_AUTOMATED_MAIL = new Set([
  'bounces/spam-bogus-email-in-report.msg',
  'bounces/spam-lots-of-bogus-addresses.msg',
  'bounces/spam-with-badly-parsed-email.msg',
  'bounces/spam-with-image.msg',
]);

if (!present) {
  test.skip(`automated-mail conformance: corpora not found at ${CORPORA} (optional, see ../shared/corpora/README.md)`, () => undefined);
} else {
  test('automated-mail conformance: the bounce corpus is automated, human mail human, alerts unchanged', async () => {
    const result = await runKindConformance(CORPORA);
    const summary = kindSummary(result);
    expect(summary).toMatch(/^automated mail: \d+ of 128 classified automated; human mail: \d+ of \d+ classified human$/);
    // A miss outside the known ones is a regression, whatever the totals say.
    expect(result.automated.misses.filter((m) => !NOT_AUTOMATED_MAIL.has(m.file))).toEqual([]);
    expect(result.automated.total).toBe(128);
    expect(result.automated.classified).toBeGreaterThanOrEqual(MIN_AUTOMATED);
    // No human mail of the corpora is taken for automated mail.
    expect(result.human.misses).toEqual([]);
    expect(result.human.total).toBeGreaterThanOrEqual(83);
    // Monitoring alerts (handled by the parsing rules) stay what they were: human.
    expect(Object.keys(result.alerts).length).toBeGreaterThanOrEqual(19);
    expect(Object.entries(result.alerts).filter(([, kind]) => kind !== 'human')).toEqual([]);
  }, 60_000);
}
