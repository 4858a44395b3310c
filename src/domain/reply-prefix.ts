// Reply and forward prefixes at the start of a subject: "Re: AW: Fwd: Printer" -> "Printer".
// Pure: no Node built-ins, no I/O, no clock. Imported by workflow code.
//
// What is recognised (compared case-insensitively, after Unicode NFKC so full-width "Ｒｅ" counts):
//
//   replies   Re (everywhere), AW (de Antwort), Antw (nl Antwoord), Antwort (de), SV (sv/da/no/is Svar),
//             VS (fi Vastaus, see below), Odp (pl Odpowiedź, cs Odpověď), YNT (tr Yanıt), R and RIF
//             (it Risposta, Riferimento), Réf / Ref (fr Référence), Atb (lv Atbilde, cy Ateb),
//             Vá (hu Válasz), RES (pt Resposta), BLS (id Balas), ΑΠ and ΣΧΕΤ (el), 回复 回覆 答复 (zh)
//   forwards  Fw, Fwd (everywhere), WG (de Weitergeleitet), TR (fr Transféré), RV (es Reenviado),
//             Enc (pt Encaminhado), Doorst (nl Doorgestuurd), VB (sv Vidarebefordrat), VL (fi Välitetty),
//             I (it Inoltrato), PD (pl Przekaż dalej), FS (is Framsent), Továbbítás (hu), Pārs (lv),
//             TRS (id Terusan), İLT / ILT (tr İlet), ΠΡΘ (el), 转发 轉寄 轉發 (zh)
//
//   VS is ambiguous: Finnish Outlook writes it for a reply (Vastaus), Danish and Norwegian Outlook for
//   a forward (Videresendt). It is treated as a REPLY: a wrong "reply" is still checked against the
//   thread's participants before anything is appended, while a wrong "forward" would split a thread.
//
// The shape of one prefix: the word, an optional counter glued to it ("Re[2]", "Re(3)", "Re^2", at
// most 6 digits), up to 2 spaces (French typography writes "TR : "), then ':' or the full-width '：'.
// Any run of prefixes is stripped ("Re: Fwd: RE:"), with or without spaces between them. The OUTERMOST
// (first) prefix decides: "Re: Fwd: x" is a reply, "Fwd: Re: x" is a forward.
//
// Bracketed tags that mail gateways put in front ("[EXTERNAL]", "[SPAM]", "[Ext] [Suspicious]") are
// stripped only when a prefix follows them, so "[EXTERNAL] RE: Printer" -> "Printer" but
// "[EXTERNAL] Printer" stays as it is. A tag holding an incident number ("[INC0010001] Re: x") is
// never dropped: it moves to the front of the base ("[INC0010001] x"), so the number is still found.
// A tag is 1 to 40 characters between '[' and ']' with no bracket or control character inside.
//
// Bounded: only the first 1000 characters are looked at (SUBJECT_SCAN_LIMIT), by a hand-written
// scanner that never goes back more than one attempt: linear whatever the input. A run of prefixes
// longer than that leaves the rest of the run in `base`.
import { INCIDENT_NUMBER_PATTERN } from './incident-number';

export const SUBJECT_SCAN_LIMIT = 1000;

export type PrefixKind = 'reply' | 'forward';

/** Reply prefix words, lower case, NFKC. */
export const REPLY_PREFIXES: readonly string[] = [
  're', 'aw', 'antw', 'antwort', 'sv', 'vs', 'odp', 'ynt', 'r', 'rif', 'réf', 'ref', 'atb', 'vá', 'res', 'bls',
  'απ', 'σχετ', '回复', '回覆', '答复',
];

/** Forward prefix words, lower case, NFKC. */
export const FORWARD_PREFIXES: readonly string[] = [
  'fw', 'fwd', 'wg', 'tr', 'rv', 'enc', 'doorst', 'vb', 'vl', 'i', 'pd', 'fs', 'továbbítás', 'pārs', 'trs', 'ilt',
  'πρθ', '转发', '轉寄', '轉發',
];

export interface StrippedSubject {
  /** The subject without its leading prefixes (and the gateway tags in front of them), trimmed. */
  base: string;
  /** The outermost prefix is a reply prefix. */
  reply: boolean;
  /** The outermost prefix is a forward prefix. */
  forward: boolean;
}

const PREFIX_KINDS: ReadonlyMap<string, PrefixKind> = new Map<string, PrefixKind>([
  ...REPLY_PREFIXES.map((w): [string, PrefixKind] => [w, 'reply']),
  ...FORWARD_PREFIXES.map((w): [string, PrefixKind] => [w, 'forward']),
]);

const WORD_MAX = 12; // 'továbbítás' is 10
const COUNTER_DIGITS_MAX = 6;
const SPACES_BEFORE_COLON_MAX = 2;
const TAG_MAX = 40;

// Each of these is only ever tested against ONE character.
const SPACE = /\s/;
const WORD_CHAR = /[\p{L}\p{M}]/u;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Strips the leading run of reply/forward prefixes; says whether the outermost one was a reply or a forward. */
export function stripReplyPrefixes(subject: string): StrippedSubject {
  const text = typeof subject === 'string' ? subject : '';
  const limit = Math.min(text.length, SUBJECT_SCAN_LIMIT);
  let pos = 0;
  let first: PrefixKind | null = null;
  const kept: string[] = [];

  for (;;) {
    let p = skipSpaces(text, pos, limit);
    const tags: string[] = [];
    for (;;) {
      const end = tagEnd(text, p, limit);
      if (end < 0) break;
      tags.push(text.slice(p, end));
      p = skipSpaces(text, end, limit);
    }
    const prefix = readPrefix(text, p, limit);
    if (!prefix) break; // the tags of this round (if any) stay in the base
    if (first === null) first = prefix.kind;
    for (const tag of tags) if (INCIDENT_NUMBER_PATTERN.test(tag)) kept.push(tag);
    pos = prefix.end;
  }

  const rest = text.slice(pos).trim();
  const base = kept.length > 0 ? (kept.join(' ') + ' ' + rest).trim() : rest;
  return { base, reply: first === 'reply', forward: first === 'forward' };
}

function skipSpaces(text: string, from: number, limit: number): number {
  let i = from;
  while (i < limit && SPACE.test(text[i])) i++;
  return i;
}

/** The index just after a gateway tag "[...]" starting at `from`, or -1. */
function tagEnd(text: string, from: number, limit: number): number {
  if (from >= limit || text[from] !== '[') return -1;
  const stop = Math.min(limit, from + 1 + TAG_MAX + 1);
  for (let i = from + 1; i < stop; i++) {
    const c = text[i];
    if (c === ']') return i > from + 1 ? i + 1 : -1;
    if (c === '[' || CONTROL.test(c)) return -1;
  }
  return -1;
}

/** A prefix (word, optional counter, optional spaces, colon) starting at `from`. */
function readPrefix(text: string, from: number, limit: number): { kind: PrefixKind; end: number } | null {
  let i = from;
  while (i < limit && i - from <= WORD_MAX && WORD_CHAR.test(text[i])) i++;
  if (i === from || i - from > WORD_MAX) return null;
  const kind = PREFIX_KINDS.get(prefixWord(text.slice(from, i)));
  if (!kind) return null;

  // Optional counter: [2] (3) ^2
  if (i < limit && (text[i] === '[' || text[i] === '(' || text[i] === '^')) {
    const open = text[i];
    const digitsEnd = skipDigits(text, i + 1, limit);
    if (digitsEnd === i + 1 || digitsEnd - (i + 1) > COUNTER_DIGITS_MAX) return null;
    i = digitsEnd;
    if (open !== '^') {
      if (i >= limit || text[i] !== (open === '[' ? ']' : ')')) return null;
      i++;
    }
  }

  const spacesFrom = i;
  while (i < limit && i - spacesFrom < SPACES_BEFORE_COLON_MAX && SPACE.test(text[i])) i++;
  if (i < limit && (text[i] === ':' || text[i] === '\uff1a')) return { kind, end: i + 1 };
  return null;
}

function skipDigits(text: string, from: number, limit: number): number {
  let i = from;
  // One past the maximum is enough to know the counter is too long.
  while (i < limit && i - from <= COUNTER_DIGITS_MAX && text[i] >= '0' && text[i] <= '9') i++;
  return i;
}

/** 'ＲＥ' -> 're', 'Re\u0301f' -> 'réf', 'İLT' -> 'ilt'. */
function prefixWord(word: string): string {
  // toLowerCase turns 'İ' into 'i' + U+0307 (combining dot above); drop the dot.
  return word.normalize('NFKC').toLowerCase().replace(/\u0307/g, '');
}
