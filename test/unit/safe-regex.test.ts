import { readFileSync } from 'fs';
import vm from 'vm';
import {
  boundedInput,
  compileSafeRegex,
  SAFE_REGEX_INPUT_LIMIT,
  SAFE_REGEX_PATTERN_LIMIT,
  SAFE_REGEX_PROGRAM_LIMIT,
  type SafeRegex,
  type SafeRegexFlags,
} from '../../src/domain/safe-regex';

function compile(pattern: string, flags?: SafeRegexFlags): SafeRegex {
  const result = compileSafeRegex(pattern, flags);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(pattern)} to compile: ${result.error}`);
  return result.regex;
}

function errorOf(pattern: string, flags?: SafeRegexFlags): string {
  const result = compileSafeRegex(pattern, flags);
  if (result.ok) throw new Error(`expected ${JSON.stringify(pattern)} to be refused`);
  return result.error;
}

describe('compileSafeRegex: matching', () => {
  test.each<[string, SafeRegexFlags | undefined, string, boolean]>([
    ['needle', undefined, 'hay needle hay', true],
    ['needle', undefined, 'hay NEEDLE hay', false],
    ['needle', { caseInsensitive: true }, 'hay NEEDLE hay', true],
    ['(?i)needle', undefined, 'hay NeEdLe hay', true],
    ['^State: OK$', undefined, 'Host: a\nState: OK\nInfo: x', false],
    ['^State: OK$', { multiline: true }, 'Host: a\nState: OK\nInfo: x', true],
    ['(?m)^State: OK$', undefined, 'Host: a\nState: OK\nInfo: x', true],
    ['\\AHost', { multiline: true }, 'x\nHost: a', false],
    ['^\\*\\* PROBLEM', undefined, '** PROBLEM Host Alert: a is DOWN **', true],
    ['\\bDOWN\\b', undefined, 'is DOWNTIME', false],
    ['\\p{Greek}+', undefined, 'Ελληνικά', true],
    ['^.$', undefined, '😀', true], // one code point, not two UTF-16 units
    ['', undefined, 'anything', true],
  ])('%p %p on %p -> %p', (pattern, flags, text, expected) => {
    const regex = compile(pattern, flags);
    expect(regex.test(text)).toBe(expected);
    expect(regex.exec(text) !== null).toBe(expected);
  });

  test.each<[string, string, { groups: Record<string, string>; match: string } | null]>([
    ['Host: (?P<value>\\S+)', 'Host: web1 up', { groups: { value: 'web1', 1: 'web1' }, match: 'Host: web1' }],
    ['Host: (?<value>\\S+)', 'Host: web1 up', { groups: { value: 'web1', 1: 'web1' }, match: 'Host: web1' }],
    ['(\\w+)@(\\w+)', 'mail ops@example now', { groups: { 1: 'ops', 2: 'example' }, match: 'ops@example' }],
    ['is (?P<state>[A-Z]+)(?P<bang>!)?', 'host is DOWN', { groups: { state: 'DOWN', 1: 'DOWN' }, match: 'is DOWN' }],
    ['(a)|(b)', 'b', { groups: { 2: 'b' }, match: 'b' }],
    ['no groups', 'there are no groups here', { groups: {}, match: 'no groups' }],
    ['(?P<v>x+)', 'yyy', null],
    // leftmost match, as Perl and JavaScript
    ['is (?P<v>[A-Z]+)', 'a is UP, b is DOWN', { groups: { v: 'UP', 1: 'UP' }, match: 'is UP' }],
  ])('exec %p on %p', (pattern, text, expected) => {
    expect(compile(pattern).exec(text)).toEqual(expected);
  });

  test('groupCount and groupNames describe the pattern', () => {
    const regex = compile('(?P<host>\\S+)/(\\S+) is (?<state>\\w+)');
    expect(regex.groupCount).toBe(3);
    expect([...regex.groupNames].sort()).toEqual(['host', 'state']);
    expect(regex.source).toBe('(?P<host>\\S+)/(\\S+) is (?<state>\\w+)');
  });

  test('a group named __proto__ is a plain property, never the prototype', () => {
    const match = compile('(?P<__proto__>x)').exec('x');
    expect(match).not.toBeNull();
    expect(Object.getPrototypeOf(match!.groups)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(match!.groups, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(match!.groups, '__proto__')?.value).toBe('x');
  });

  test('a non-string text is matched as empty', () => {
    const regex = compile('^$');
    expect(regex.test(undefined as unknown as string)).toBe(true);
    expect(compile('x').exec(null as unknown as string)).toBeNull();
  });
});

describe('compileSafeRegex: refused patterns', () => {
  test.each<[string, string, RegExp]>([
    ['backreference', '(a)\\1', /invalid escape sequence: `\\1`.*backreferences are not supported/],
    ['named backreference', '(?<x>a)\\k<x>', /invalid regular expression: .*backreferences are not supported/],
    ['lookahead', 'foo(?=bar)', /unsupported Perl syntax: `\(\?=`.*lookahead and lookbehind are not supported/],
    ['negative lookahead', 'foo(?!bar)', /unsupported Perl syntax: `\(\?!`.*lookahead and lookbehind/],
    ['lookbehind', '(?<=foo)bar', /invalid regular expression: .*lookahead and lookbehind are not supported/],
    ['negative lookbehind', '(?<!foo)bar', /invalid regular expression: .*lookahead and lookbehind/],
    ['unclosed group', '(unclosed', /missing closing \)/],
    ['unclosed class', '[abc', /missing closing \]/],
    ['nothing to repeat', '*', /missing argument to repetition operator/],
    ['reversed range', '[z-a]', /invalid character class range/],
    ['repeat count over 1000', 'a{1001}', /invalid repeat count/],
  ])('%s', (_name, pattern, message) => {
    const error = errorOf(pattern);
    expect(error).toMatch(/^invalid regular expression: error parsing regexp: /);
    expect(error).toMatch(message);
  });

  test('a plain syntax error gets no hint about lookaround', () => {
    expect(errorOf('(unclosed')).not.toMatch(/not supported/);
  });

  test(`a pattern longer than ${SAFE_REGEX_PATTERN_LIMIT} characters is refused; exactly that long is fine`, () => {
    expect(SAFE_REGEX_PATTERN_LIMIT).toBe(1000);
    expect(compileSafeRegex('a'.repeat(SAFE_REGEX_PATTERN_LIMIT)).ok).toBe(true);
    expect(errorOf('a'.repeat(SAFE_REGEX_PATTERN_LIMIT + 1))).toBe(
      'regular expression is 1001 characters long, at most 1000 are allowed',
    );
  });

  test(`a compiled program larger than ${SAFE_REGEX_PROGRAM_LIMIT} is refused`, () => {
    expect(SAFE_REGEX_PROGRAM_LIMIT).toBe(2000);
    expect(errorOf('(\\w+\\s?){1,300}!')).toMatch(/^regular expression is too complex: compiled size \d+, at most 2000/);
    expect(errorOf('((a{100}){100}){100}')).toMatch(/invalid repeat count|too complex|too large/);
    expect(compileSafeRegex('(\\w+\\s?){1,250}!').ok).toBe(true);
  });

  test('a non-string pattern is refused, not thrown', () => {
    expect(compileSafeRegex(42 as unknown as string)).toEqual({ ok: false, error: 'regular expression must be a string' });
    expect(compileSafeRegex(undefined as unknown as string).ok).toBe(false);
  });
});

describe('compileSafeRegex: hostile input', () => {
  // The jest timeout is the guard: a backtracking engine takes longer than the age of the universe here.
  const GUARD_MS = 20_000;

  test.each<[string, string]>([
    ['^(a+)+$', 'a'.repeat(50_000) + '!'],
    ['^(a|aa)+$', 'a'.repeat(50_000) + '!'],
    ['^(a|a?)+$', 'a'.repeat(50_000) + '!'],
    ['(x+x+)+y', 'x'.repeat(50_000)],
    ['^(\\w+\\s?)*$', 'word '.repeat(10_000) + '!'],
    ['(.*a){12}$', 'a'.repeat(50_000) + '!'],
    ['^(([a-z])+.)+[A-Z]([a-z])+$', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.repeat(500)],
  ])(
    'catastrophic %p returns false in linear time',
    (pattern, text) => {
      const regex = compile(pattern);
      expect(regex.test(text)).toBe(false);
      expect(regex.exec(text)).toBeNull();
    },
    GUARD_MS,
  );

  test(
    'the catastrophic pattern still matches what it should',
    () => {
      expect(compile('^(a+)+$').test('a'.repeat(50_000))).toBe(true);
      expect(compile('^(?P<run>a+)+$').exec('a'.repeat(50_000))?.match.length).toBe(50_000);
    },
    GUARD_MS,
  );

  test(`only the first ${SAFE_REGEX_INPUT_LIMIT} characters are matched`, () => {
    expect(SAFE_REGEX_INPUT_LIMIT).toBe(100_000);
    const regex = compile('needle');
    expect(regex.test('x'.repeat(SAFE_REGEX_INPUT_LIMIT) + 'needle')).toBe(false);
    expect(regex.exec('x'.repeat(SAFE_REGEX_INPUT_LIMIT) + 'needle')).toBeNull();
    expect(regex.test('x'.repeat(SAFE_REGEX_INPUT_LIMIT - 6) + 'needle')).toBe(true);
    expect(regex.test('x'.repeat(SAFE_REGEX_INPUT_LIMIT - 5) + 'needle')).toBe(false);
    // $ is the end of the cut text
    expect(compile('x$').test('x'.repeat(SAFE_REGEX_INPUT_LIMIT + 10) + 'y')).toBe(true);
  });

  test(
    'a 20 MB text costs no more than its first 100,000 characters',
    () => {
      const huge = 'Host: web1\n' + 'lorem ipsum '.repeat(2_000_000);
      expect(compile('(?P<v>\\w+)!$').exec(huge)).toBeNull();
      expect(compile('^Host: (?P<v>\\S+)', { multiline: true }).exec(huge)?.groups.v).toBe('web1');
    },
    GUARD_MS,
  );

  test('the cut never leaves half a surrogate pair', () => {
    const text = 'x'.repeat(SAFE_REGEX_INPUT_LIMIT - 1) + '😀' + 'tail';
    const cut = boundedInput(text);
    expect(cut.length).toBe(SAFE_REGEX_INPUT_LIMIT - 1);
    expect(cut.endsWith('x')).toBe(true);
    expect(boundedInput('short')).toBe('short');
    expect(boundedInput('x'.repeat(SAFE_REGEX_INPUT_LIMIT + 5)).length).toBe(SAFE_REGEX_INPUT_LIMIT);
  });
});

describe('re2js', () => {
  // Workflow code imports the domain: re2js must load where there is no require, process, Buffer,
  // TextEncoder or timer, as in Temporal's workflow sandbox.
  test('loads and matches in a bare CommonJS context without Node APIs', () => {
    const source = readFileSync(require.resolve('re2js'), 'utf8');
    const sandboxModule = { exports: {} as Record<string, unknown> };
    const context = vm.createContext({ module: sandboxModule, exports: sandboxModule.exports });
    vm.runInContext(`(function (module, exports) {\n${source}\n})(module, exports);`, context, { timeout: 10_000 });
    const { RE2JS } = sandboxModule.exports as { RE2JS: typeof import('re2js').RE2JS };
    const regex = RE2JS.compile('^Host: (?P<value>\\S+)', RE2JS.MULTILINE);
    const matcher = regex.matcher('x\nHost: web1\n');
    expect(matcher.find()).toBe(true);
    expect(matcher.group('value')).toBe('web1');
    expect(regex.test('Ünïcödé\nHost: ü')).toBe(true);
    expect(Object.keys(context).sort()).toEqual(['exports', 'module']);
  });
});

describe('spans', () => {
  test('matches that do not overlap, leftmost first, where each lies in UTF-16 units, at most the limit', () => {
    const regex = compile('\\[V-(?P<n>\\d+)\\]');
    expect(regex.spans('é😀 [V-12] x [V-3] [V-4]', 2)).toEqual([
      { match: '[V-12]', groups: { '1': '12', n: '12' }, start: 4, end: 10 },
      { match: '[V-3]', groups: { '1': '3', n: '3' }, start: 13, end: 18 },
    ]);
    expect(regex.spans('nothing here', 5)).toEqual([]);
    expect(regex.spans('[V-1]', 0)).toEqual([]);
  });
});
