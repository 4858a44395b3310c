// The spam decision: accept an inbound email, or quarantine it until an admin releases or discards it.
// Built only from SES's receipt verdicts, so it is the same in the workflow, on replay and in the CLI.
import { VERDICT_NAMES, VERDICT_STATUSES, type SesVerdicts, type SpamDecision, type VerdictStatus } from './types';

/** Quarantine when the score reaches this. One failed spam verdict (10) or DMARC + SPF/DKIM fails (4+2) reach it. */
export const DEFAULT_SPAM_THRESHOLD = 5;

/**
 * Points per verdict. Anything not listed (PASS, DISABLED, GRAY/PROCESSING_FAILED of the
 * authentication checks) scores 0. The virus verdict is not scored: a virus always quarantines.
 */
export const SPAM_WEIGHTS = {
  spam: { FAIL: 10, GRAY: 3, PROCESSING_FAILED: 1 },
  spf: { FAIL: 2 },
  dkim: { FAIL: 2 },
  dmarc: { FAIL: 4 },
} as const;

type ScoredVerdict = keyof typeof SPAM_WEIGHTS;
const SCORED_VERDICTS: readonly ScoredVerdict[] = ['spam', 'spf', 'dkim', 'dmarc'];

function weightOf(verdict: ScoredVerdict, status: VerdictStatus): number {
  const weights: Partial<Record<VerdictStatus, number>> = SPAM_WEIGHTS[verdict];
  return weights[status] ?? 0;
}

/**
 * Scores the verdicts and decides. Order of precedence:
 * 1. virus FAIL -> quarantine (reason 'virus'), even for an allowlisted sender: trust in a sender
 *    does not make an infected attachment safe (and the sender's machine may be the infected one);
 * 2. allowlisted sender -> accept (score still computed and reported);
 * 3. score >= threshold -> quarantine; otherwise accept.
 * The decisive reason comes first in `reasons`, followed by the verdicts that scored.
 */
export function decideSpam(verdicts: SesVerdicts, opts: { threshold: number; allowlisted: boolean }): SpamDecision {
  if (typeof opts.threshold !== 'number' || !Number.isFinite(opts.threshold)) {
    // NaN would silently accept everything (score >= NaN is always false): refuse it.
    throw new Error(`Spam threshold must be a finite number, got ${String(opts.threshold)}`);
  }
  const allowlisted = opts.allowlisted === true;
  let score = 0;
  const scored: string[] = [];
  for (const verdict of SCORED_VERDICTS) {
    const weight = weightOf(verdict, verdicts[verdict]);
    if (weight > 0) {
      score += weight;
      scored.push(`${verdict} verdict ${verdicts[verdict]}`);
    }
  }

  if (verdicts.virus === 'FAIL') {
    return { action: 'quarantine', score, reasons: ['virus', ...scored], allowlisted };
  }
  if (allowlisted) {
    return { action: 'accept', score, reasons: ['allowlisted sender', ...scored], allowlisted };
  }
  if (score >= opts.threshold) {
    return { action: 'quarantine', score, reasons: scored, allowlisted };
  }
  return { action: 'accept', score, reasons: scored, allowlisted };
}

/**
 * Reads one verdict as SES writes it, case-insensitively: a bare string ('PASS', from the
 * X-SES-Spam-Verdict header) or the notification's object form ({ status: 'PASS' }).
 *
 * Anything unrecognised, including a missing verdict, becomes 'PROCESSING_FAILED', never
 * 'DISABLED': a verdict we could not read means "we do not know", not "scanning was switched
 * off", and for the spam verdict it scores a point instead of nothing.
 */
export function parseVerdict(value: unknown): VerdictStatus {
  const raw =
    typeof value === 'object' && value !== null && 'status' in value ? (value as { status: unknown }).status : value;
  if (typeof raw !== 'string') return 'PROCESSING_FAILED';
  const status = raw.trim().toUpperCase();
  return (VERDICT_STATUSES as readonly string[]).includes(status) ? (status as VerdictStatus) : 'PROCESSING_FAILED';
}

/** A complete set of verdicts from whatever was found; each missing or unreadable one is 'PROCESSING_FAILED'. */
export function verdictsFrom(partial: Partial<Record<keyof SesVerdicts, unknown>>): SesVerdicts {
  const source: Partial<Record<keyof SesVerdicts, unknown>> = partial ?? {};
  const result = {} as SesVerdicts;
  for (const name of VERDICT_NAMES) result[name] = parseVerdict(source[name]);
  return result;
}
