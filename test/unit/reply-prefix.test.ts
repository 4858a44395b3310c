import {
  FORWARD_PREFIXES,
  REPLY_PREFIXES,
  stripReplyPrefixes,
  StrippedSubject,
  SUBJECT_SCAN_LIMIT,
} from '../../src/domain/reply-prefix';

const reply = (base: string): StrippedSubject => ({ base, reply: true, forward: false });
const forward = (base: string): StrippedSubject => ({ base, reply: false, forward: true });
const plain = (base: string): StrippedSubject => ({ base, reply: false, forward: false });

/** Every prefix word as mail clients write it; the table pins the documented list. */
const REPLY_WORDS: Array<[string, string]> = [
  ['Re', 'everywhere'],
  ['AW', 'de Antwort'],
  ['Antw', 'nl Antwoord'],
  ['Antwort', 'de'],
  ['SV', 'sv/da/no/is Svar'],
  ['VS', 'fi Vastaus (da/no "Videresendt" forward: treated as a reply)'],
  ['Odp', 'pl/cs'],
  ['Ynt', 'tr Yanıt'],
  ['R', 'it Risposta'],
  ['RIF', 'it Riferimento'],
  ['Réf', 'fr Référence'],
  ['Ref', 'fr, without the accent'],
  ['Atb', 'lv Atbilde'],
  ['Vá', 'hu Válasz'],
  ['Res', 'pt Resposta'],
  ['Bls', 'id Balas'],
  ['Απ', 'el'],
  ['Σχετ', 'el'],
  ['回复', 'zh-Hans'],
  ['回覆', 'zh-Hant'],
  ['答复', 'zh'],
];

const FORWARD_WORDS: Array<[string, string]> = [
  ['Fw', 'en'],
  ['Fwd', 'en'],
  ['WG', 'de Weitergeleitet'],
  ['TR', 'fr Transféré'],
  ['RV', 'es Reenviado'],
  ['Enc', 'pt Encaminhado'],
  ['Doorst', 'nl Doorgestuurd'],
  ['VB', 'sv Vidarebefordrat'],
  ['VL', 'fi Välitetty'],
  ['I', 'it Inoltrato'],
  ['PD', 'pl Przekaż dalej'],
  ['FS', 'is Framsent'],
  ['Továbbítás', 'hu'],
  ['Pārs', 'lv Pārsūtīt'],
  ['Trs', 'id Terusan'],
  ['İlt', 'tr İlet'],
  ['Ilt', 'tr, dotless capital'],
  ['Πρθ', 'el'],
  ['转发', 'zh-Hans'],
  ['轉寄', 'zh-Hant'],
  ['轉發', 'zh-Hant'],
];

/** lower, UPPER, Title: each one must be recognised. */
function casings(word: string): string[] {
  return Array.from(new Set([word.toLowerCase(), word.toUpperCase(), word[0].toUpperCase() + word.slice(1).toLowerCase(), word]));
}

const COUNTERS = ['', '[2]', '(3)', '^2', '[12]', '(123456)'];

describe('stripReplyPrefixes: every reply prefix, every case, every counter', () => {
  test('the table covers the exported list', () => {
    const norm = (w: string): string => w.normalize('NFKC').toLowerCase().replace(/\u0307/g, '');
    expect(new Set(REPLY_WORDS.map(([w]) => norm(w)))).toEqual(new Set(REPLY_PREFIXES));
    expect(new Set(FORWARD_WORDS.map(([w]) => norm(w)))).toEqual(new Set(FORWARD_PREFIXES));
  });

  for (const [word, note] of REPLY_WORDS) {
    for (const cased of casings(word)) {
      for (const counter of COUNTERS) {
        test(`${cased}${counter}: (${note}) -> reply`, () => {
          expect(stripReplyPrefixes(`${cased}${counter}: Printer jam`)).toEqual(reply('Printer jam'));
        });
      }
    }
  }

  for (const [word, note] of FORWARD_WORDS) {
    for (const cased of casings(word)) {
      for (const counter of COUNTERS) {
        test(`${cased}${counter}: (${note}) -> forward`, () => {
          expect(stripReplyPrefixes(`${cased}${counter}: Printer jam`)).toEqual(forward('Printer jam'));
        });
      }
    }
  }
});

describe('stripReplyPrefixes: runs, nesting, spacing, tags', () => {
  test.each<[string, StrippedSubject]>([
    ['Re: Fwd: Re: Printer', reply('Printer')],
    ['Fwd: Re: Printer', forward('Printer')],
    ['FWD: RE: AW: Printer', forward('Printer')],
    ['AW: WG: Printer', reply('Printer')],
    ['WG: AW: Printer', forward('Printer')],
    ['RE:RE:RE:Printer', reply('Printer')],
    ['Re[2]: Re(3): Re^4: AW: Printer', reply('Printer')],
    ['SV: VS: Printer', reply('Printer')],
    ['VS: Printer', reply('Printer')],
    ['  Re:   Printer  ', reply('Printer')],
    ['Re:\r\n Fwd: Printer', reply('Printer')],
    ['\tRe:\tPrinter', reply('Printer')],
    // French typography: a (non-breaking) space before the colon
    ['Re : Printer', reply('Printer')],
    ['TR : Printer', forward('Printer')],
    ['Réf\u00a0: Printer', reply('Printer')],
    ['Re\u202f: Printer', reply('Printer')],
    // full-width colon, full-width letters, decomposed accents, ideographic space
    ['Re：Printer', reply('Printer')],
    ['回复：打印机', reply('打印机')],
    ['转发：回复：打印机', forward('打印机')],
    ['ＲＥ：Printer', reply('Printer')],
    ['Ｆｗｄ： Printer', forward('Printer')],
    ['Re\u0301f: Printer', reply('Printer')],
    ['Re:\u3000Printer', reply('Printer')],
    // just prefixes
    ['Re:', reply('')],
    ['Fwd: ', forward('')],
    ['RE: RE: RE:', reply('')],
    // gateway tags: stripped only when a prefix follows them
    ['[EXTERNAL] RE: Printer', reply('Printer')],
    ['[EXTERNAL]RE: Printer', reply('Printer')],
    ['[SPAM] [EXTERNAL] Fwd: Printer', forward('Printer')],
    ['RE: [EXTERNAL] RE: Printer', reply('Printer')],
    ['[EXTERNAL] Printer', plain('[EXTERNAL] Printer')],
    ['Re: [EXTERNAL] Printer', reply('[EXTERNAL] Printer')],
    ['[Ext] [Suspicious] Printer', plain('[Ext] [Suspicious] Printer')],
    // a tag with an incident number is kept, in front of the base
    ['[INC0010001] Re: Printer', reply('[INC0010001] Printer')],
    ['Re: [INC0010001] Printer', reply('[INC0010001] Printer')],
    ['Re: [INC0010001] Re: Printer', reply('[INC0010001] Printer')],
    ['[EXTERNAL] [INC0010001] AW: Printer', reply('[INC0010001] Printer')],
    ['Fwd: [INC0010001] Printer', forward('[INC0010001] Printer')],
    ['[INC0010001] Printer', plain('[INC0010001] Printer')],
  ])('%j', (subject, expected) => {
    expect(stripReplyPrefixes(subject)).toEqual(expected);
  });
});

describe('stripReplyPrefixes: not prefixes', () => {
  test.each([
    ['', ''],
    ['   ', ''],
    ['Printer jam', 'Printer jam'],
    ['Re', 'Re'],
    ['Re Printer', 'Re Printer'],
    ['Rechnung: März', 'Rechnung: März'],
    ['Report: disk full', 'Report: disk full'],
    ['Are: you there', 'Are: you there'],
    ['Request: new laptop', 'Request: new laptop'],
    ['Error: 500 on login', 'Error: 500 on login'],
    ['Re-: Printer', 'Re-: Printer'],
    ['Re2: Printer', 'Re2: Printer'],
    ['Re []: Printer', 'Re []: Printer'],
    ['Re[]: Printer', 'Re[]: Printer'],
    ['Re(): Printer', 'Re(): Printer'],
    ['Re^: Printer', 'Re^: Printer'],
    ['Re[x]: Printer', 'Re[x]: Printer'],
    ['Re[2: Printer', 'Re[2: Printer'],
    ['Re(2]: Printer', 'Re(2]: Printer'],
    ['Re[1234567]: Printer', 'Re[1234567]: Printer'],
    ['Re [2]: Printer', 'Re [2]: Printer'],
    ['Re   : Printer', 'Re   : Printer'],
    ['Re; Printer', 'Re; Printer'],
    ['Re. Printer', 'Re. Printer'],
    ['VPN: drops every 10 minutes', 'VPN: drops every 10 minutes'],
    ['Printer Re: jam', 'Printer Re: jam'],
    ['[] Re: Printer', '[] Re: Printer'],
    ['[a[b] Re: Printer', '[a[b] Re: Printer'],
    [`[${'x'.repeat(41)}] Re: Printer`, `[${'x'.repeat(41)}] Re: Printer`],
    ['[unclosed Re: Printer', '[unclosed Re: Printer'],
    ['[a\u0000b] Re: Printer', '[a\u0000b] Re: Printer'],
    ['Continuation: Printer', 'Continuation: Printer'],
  ])('%j stays %j', (subject, base) => {
    expect(stripReplyPrefixes(subject)).toEqual(plain(base));
  });

  test('a 40-character tag is still a tag', () => {
    expect(stripReplyPrefixes(`[${'x'.repeat(40)}] Re: Printer`)).toEqual(reply('Printer'));
  });

  test('non-string input is treated as an empty subject', () => {
    expect(stripReplyPrefixes(undefined as unknown as string)).toEqual(plain(''));
    expect(stripReplyPrefixes(null as unknown as string)).toEqual(plain(''));
  });

  test('emoji and other astral characters in the base survive intact', () => {
    expect(stripReplyPrefixes('Re: 🖨️ jam 𝔸')).toEqual(reply('🖨️ jam 𝔸'));
  });
});

describe('stripReplyPrefixes: bounded', () => {
  test('only the first 1000 characters are looked at', () => {
    expect(SUBJECT_SCAN_LIMIT).toBe(1000);
    // The colon is the 1000th character: still seen.
    expect(stripReplyPrefixes(' '.repeat(997) + 'Re: Printer')).toEqual(reply('Printer'));
    // The colon is the 1001st character: not seen.
    expect(stripReplyPrefixes(' '.repeat(998) + 'Re: Printer')).toEqual(plain('Re: Printer'));
  });

  test('a run of prefixes longer than the limit leaves the rest of the run in the base', () => {
    const out = stripReplyPrefixes('Re: '.repeat(100_000) + 'Printer');
    expect(out.reply).toBe(true);
    expect(out.forward).toBe(false);
    expect(out.base.startsWith('Re: Re: ')).toBe(true);
    expect(out.base.endsWith('Printer')).toBe(true);
    expect(out.base.length).toBe(100_000 * 4 + 'Printer'.length - SUBJECT_SCAN_LIMIT);
  });

  // Inputs big enough that a backtracking regex would hang the run; each must simply come back.
  test.each<[string, string, StrippedSubject | null]>([
    ['Re + 100k [', 'Re' + '['.repeat(100_000), plain('Re' + '['.repeat(100_000))],
    ['Re + 100k (', 'Re' + '('.repeat(100_000), plain('Re' + '('.repeat(100_000))],
    ['Re[ + 100k digits', 'Re[' + '1'.repeat(100_000), plain('Re[' + '1'.repeat(100_000))],
    ['Re^ + 100k digits', 'Re^' + '9'.repeat(100_000), plain('Re^' + '9'.repeat(100_000))],
    ['100k [', '['.repeat(100_000), plain('['.repeat(100_000))],
    ['[ + 100k letters', '[' + 'a'.repeat(100_000), plain('[' + 'a'.repeat(100_000))],
    ['100k letters then a colon', 'r'.repeat(100_000) + ':', plain('r'.repeat(100_000) + ':')],
    ['100k "[x] "', '[x] '.repeat(100_000) + 'Re: x', null],
    ['100k "Re "', 'Re '.repeat(100_000), null],
    ['100k "Re: [x] "', 'Re: [x] '.repeat(100_000), null],
    ['100k spaces then Re:', ' '.repeat(100_000) + 'Re: x', plain('Re: x')],
    ['100k "Re[1] "', 'Re[1] '.repeat(100_000), null],
    ['100k "：" ', '：'.repeat(100_000), plain('：'.repeat(100_000))],
  ])('%s', (_label, subject, expected) => {
    const out = stripReplyPrefixes(subject);
    if (expected) expect(out).toEqual(expected);
    expect(typeof out.base).toBe('string');
  });
});
