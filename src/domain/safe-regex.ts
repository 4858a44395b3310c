// Regular expressions that come from configuration (routing and parsing rules) run on attacker-controlled
// mail, so they run on re2js, a pure-JavaScript port of RE2: matching time is linear in the input, whatever
// the pattern, so no pattern can hang a worker the way `^(a+)+$` hangs a backtracking engine. The price is
// RE2's syntax: no backreferences and no lookaround (re2js refuses them when the pattern is compiled).
//
// Pure: no I/O and no Node built-ins (re2js only uses TextEncoder/TextDecoder when the global has them), so
// workflow code may import it too. Matching a long body is still real work (see SAFE_REGEX_PROGRAM_LIMIT):
// run body-sized matches in an activity, not in workflow code.
import { RE2JS } from 're2js';

/** Input beyond this many characters is cut off before matching. */
export const SAFE_REGEX_INPUT_LIMIT = 100_000;
/** Longest pattern accepted, in characters. */
export const SAFE_REGEX_PATTERN_LIMIT = 1000;
/**
 * Largest compiled program accepted (RE2's "program size", its approximate cost measure). Matching is
 * linear in input length times the work per character, which program size bounds: at this size the slowest
 * capturing search measured over a whole 100,000-character input, `(?i)(\pL+\s?){1,285}!`, took about 2 s on a
 * 2-core machine. Any plain-text pattern up to the length limit fits (a 1000-character literal is 1002);
 * patterns people write for mail fields are far smaller (tens to a few hundred).
 */
export const SAFE_REGEX_PROGRAM_LIMIT = 2000;

export interface SafeRegexFlags {
  caseInsensitive?: boolean;
  /** `^` and `$` match at line starts and ends, not only at the ends of the text. */
  multiline?: boolean;
}

export interface SafeRegexMatch {
  /**
   * Every group that took part in the match: named groups by name, and every group (named or not) by its
   * number as a string ('1', '2', ...). A group that did not take part is absent.
   */
  groups: Record<string, string>;
  /** The whole matched text. */
  match: string;
}

/** A match and where it lies in the (bounded) input, in UTF-16 code units: `end` is past its last character. */
export interface SafeRegexSpan extends SafeRegexMatch {
  start: number;
  end: number;
}

export interface SafeRegex {
  readonly source: string;
  /** Number of capturing groups (group 0, the whole match, not counted). */
  readonly groupCount: number;
  /** Names of the named groups, in no particular order. */
  readonly groupNames: readonly string[];
  /** Whether the pattern matches anywhere in the text (the first 100,000 characters of it). */
  test(text: string): boolean;
  /** The first (leftmost) match in the text (the first 100,000 characters of it), or null. */
  exec(text: string): SafeRegexMatch | null;
  /** Up to `limit` matches that do not overlap, leftmost first, with where each lies. */
  spans(text: string, limit: number): SafeRegexSpan[];
}

export type CompileSafeRegexResult = { ok: true; regex: SafeRegex } | { ok: false; error: string };

/** Cuts to SAFE_REGEX_INPUT_LIMIT characters without leaving half a surrogate pair at the end. */
export function boundedInput(text: string): string {
  if (typeof text !== 'string') return '';
  if (text.length <= SAFE_REGEX_INPUT_LIMIT) return text;
  let end = SAFE_REGEX_INPUT_LIMIT;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

/** Constructs people bring from other engines, which RE2 does not have (for a clearer error). */
const UNSUPPORTED_HINTS: readonly [RegExp, string][] = [
  [/\(\?<?[=!]/, 'lookahead and lookbehind'],
  [/\\[1-9]|\\k</, 'backreferences'],
];

function unsupportedHint(pattern: string): string {
  const found = UNSUPPORTED_HINTS.filter(([probe]) => probe.test(pattern)).map(([, name]) => name);
  if (found.length === 0) return '';
  return ` (${found.join(' and ')} are not supported: configured patterns run on RE2, which guarantees linear-time matching)`;
}

/**
 * Compiles a configured pattern (RE2 syntax: `(?P<name>...)` or `(?<name>...)` for named groups, inline
 * flags such as `(?i)`). Never throws: an unusable pattern is `{ ok: false, error }` with the reason, re2js's
 * own message for syntax it refuses (backreferences, lookaround, bad syntax).
 */
export function compileSafeRegex(pattern: string, flags: SafeRegexFlags = {}): CompileSafeRegexResult {
  if (typeof pattern !== 'string') return { ok: false, error: 'regular expression must be a string' };
  if (pattern.length > SAFE_REGEX_PATTERN_LIMIT) {
    return {
      ok: false,
      error: `regular expression is ${pattern.length} characters long, at most ${SAFE_REGEX_PATTERN_LIMIT} are allowed`,
    };
  }
  let compiled: RE2JS;
  try {
    let re2Flags = 0;
    if (flags.caseInsensitive) re2Flags |= RE2JS.CASE_INSENSITIVE;
    if (flags.multiline) re2Flags |= RE2JS.MULTILINE;
    compiled = RE2JS.compile(pattern, re2Flags);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, error: `invalid regular expression: ${message}${unsupportedHint(pattern)}` };
  }
  const size = compiled.programSize();
  if (size > SAFE_REGEX_PROGRAM_LIMIT) {
    return {
      ok: false,
      error: `regular expression is too complex: compiled size ${size}, at most ${SAFE_REGEX_PROGRAM_LIMIT} (reduce large repeat counts such as {1,500})`,
    };
  }
  return { ok: true, regex: wrap(pattern, compiled) };
}

function wrap(source: string, compiled: RE2JS): SafeRegex {
  const named = compiled.namedGroups();
  const groupNames = Object.keys(named);
  const groupCount = compiled.groupCount();
  return {
    source,
    groupCount,
    groupNames,
    test(text: string): boolean {
      return compiled.test(boundedInput(text));
    },
    exec(text: string): SafeRegexMatch | null {
      const input = boundedInput(text);
      // The boolean test runs on RE2's DFA, much faster than the capturing search: most texts a rule
      // looks at do not match, and those never pay for the captures.
      if (!compiled.test(input)) return null;
      const matcher = compiled.matcher(input);
      if (!matcher.find()) return null;
      return matchOf(matcher);
    },
    spans(text: string, limit: number): SafeRegexSpan[] {
      const input = boundedInput(text);
      if (limit < 1 || !compiled.test(input)) return [];
      const matcher = compiled.matcher(input);
      const out: SafeRegexSpan[] = [];
      while (out.length < limit && matcher.find()) out.push({ ...matchOf(matcher), start: matcher.start(), end: matcher.end() });
      return out;
    },
  };

  function matchOf(matcher: ReturnType<RE2JS['matcher']>): SafeRegexMatch {
    const groups: Record<string, string> = {};
    for (let i = 1; i <= groupCount; i++) {
      const value = matcher.group(i);
      if (typeof value === 'string') groups[String(i)] = value;
    }
    for (const name of groupNames) {
      const value = groups[String(named[name])];
      // defineProperty: a group named __proto__ becomes a property, never the object's prototype.
      if (value !== undefined) Object.defineProperty(groups, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return { groups, match: matcher.group(0) ?? '' };
  }
}
