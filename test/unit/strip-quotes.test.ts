import { MAX_STRIPPED_CHARS, stripQuotedText } from '../../src/mail/strip-quotes';

const REPLY = 'Thanks, the printer works again.';

type Case = [name: string, input: { text: string | null; html: string | null }, expected: string];

const textCases: Case[] = [
  [
    'Gmail: "On <date> <name> wrote:" and > quotes',
    {
      text: `${REPLY}\n\nOn Tue, Sep 23, 2025 at 10:15 AM IT Support <support@example.com> wrote:\n\n> Please restart the printer.\n>\n> IT Support\n`,
      html: null,
    },
    REPLY,
  ],
  [
    'Gmail: an attribution longer than the part of a line planer sees',
    {
      text: `${REPLY}\n\nOn Tue, Sep 23, 2025 at 10:15 AM Jonathan Longname-Example <jonathan.longname@some-company.example.com> wrote:\n> Please restart the printer.\n`,
      html: null,
    },
    REPLY,
  ],
  [
    'Apple Mail (iPhone): quoted attribution, "Sent from my iPhone" kept',
    {
      text: `${REPLY}\n\nSent from my iPhone\n\n> On 23 Sep 2025, at 10:15, IT Support <support@example.com> wrote:\n>\n> Please restart the printer.\n`,
      html: null,
    },
    `${REPLY}\n\nSent from my iPhone`,
  ],
  [
    'Apple Mail (macOS): attribution on its own line',
    { text: `${REPLY}\n\n> On 23 Sep 2025, at 10:15, IT Support <support@example.com> wrote:\n> \n> Please restart the printer.\n`, html: null },
    REPLY,
  ],
  [
    'Outlook desktop: -----Original Message-----',
    {
      text: `${REPLY}\r\n\r\n-----Original Message-----\r\nFrom: IT Support <support@example.com>\r\nSent: Tuesday, September 23, 2025 10:15 AM\r\nTo: Anna Berg <anna@example.com>\r\nSubject: RE: Printer [INC0010001]\r\n\r\nPlease restart the printer.\r\n`,
      html: null,
    },
    REPLY,
  ],
  [
    'Outlook: underscores, then a From: / Sent: / To: / Subject: block',
    {
      text: `${REPLY}\n\n________________________________\nFrom: IT Support <support@example.com>\nSent: Tuesday, September 23, 2025 10:15 AM\nTo: Anna Berg <anna@example.com>\nSubject: RE: Printer [INC0010001]\n\nPlease restart the printer.\n`,
      html: null,
    },
    REPLY,
  ],
  [
    'German Outlook: Von: / Gesendet: / An: / Betreff:',
    {
      text: 'Der Drucker geht wieder.\n\nVon: IT Support <support@example.com>\nGesendet: Dienstag, 23. September 2025 10:15\nAn: Anna Berg <anna@example.com>\nBetreff: AW: Drucker [INC0010001]\n\nBitte starten Sie den Drucker neu.\n',
      html: null,
    },
    'Der Drucker geht wieder.',
  ],
  [
    'German Gmail: "Am ... schrieb ...:"',
    {
      text: 'Der Drucker geht wieder.\n\nAm Di., 23. Sept. 2025 um 10:15 Uhr schrieb IT Support <support@example.com>:\n> Bitte starten Sie den Drucker neu.\n',
      html: null,
    },
    'Der Drucker geht wieder.',
  ],
  [
    'French: "Le ... a écrit :"',
    {
      text: "L'imprimante fonctionne.\n\nLe mar. 23 sept. 2025 à 10:15, IT Support <support@example.com> a écrit :\n> Veuillez redémarrer l'imprimante.\n",
      html: null,
    },
    "L'imprimante fonctionne.",
  ],
  [
    'a block of > lines without an attribution',
    { text: 'It is on the 3rd floor.\n\n> Which floor is the printer on?\n> Please let us know.\n> IT Support\n', html: null },
    'It is on the 3rd floor.',
  ],
  [
    'signature after a "-- " line',
    { text: `${REPLY}\n\n-- \nAnna Berg\nFinance, 3rd floor\n+46 8 123 456\n`, html: null },
    REPLY,
  ],
  [
    'signature, then the quote',
    { text: `${REPLY}\n-- \nAnna Berg\n\nOn Tue, Sep 23, 2025 at 10:15 AM IT Support <support@example.com> wrote:\n> Please restart.\n`, html: null },
    REPLY,
  ],
  [
    'a reply without any quote stays whole',
    {
      text: 'Hello,\n\nthe printer on the 3rd floor shows "Paper jam" again.\nI opened tray 2 -- nothing is stuck.\n\nOn Monday it worked, so did the scanner.\n\nBest regards,\nAnna',
      html: null,
    },
    'Hello,\n\nthe printer on the 3rd floor shows "Paper jam" again.\nI opened tray 2 -- nothing is stuck.\n\nOn Monday it worked, so did the scanner.\n\nBest regards,\nAnna',
  ],
  [
    'a message that is all quote keeps the whole text rather than nothing',
    { text: '> Please restart the printer.\n> IT Support\n> Tuesday\n', html: null },
    '> Please restart the printer.\n> IT Support\n> Tuesday',
  ],
  ['nothing at all', { text: null, html: null }, ''],
  ['blank bodies', { text: ' \n\n ', html: ' <br> ' }, ''],
];

const htmlCases: Case[] = [
  [
    'HTML: Gmail gmail_quote',
    {
      text: null,
      html: `<div dir="ltr">${REPLY}</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Tue, Sep 23, 2025 at 10:15 AM IT Support &lt;<a href="mailto:support@example.com">support@example.com</a>&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">Please restart the printer.</blockquote></div>`,
    },
    REPLY,
  ],
  [
    'HTML: Apple Mail (macOS) blockquote type=cite',
    {
      text: null,
      html: `<html><body style="overflow-wrap: break-word;">${REPLY}<br><div><br><blockquote type="cite"><div>On 23 Sep 2025, at 10:15, IT Support &lt;support@example.com&gt; wrote:</div><br class="Apple-interchange-newline"><div><div>Please restart the printer.</div></div></blockquote></div><br></body></html>`,
    },
    REPLY,
  ],
  [
    'HTML: Apple Mail (iOS), attribution in a blockquote of its own',
    {
      text: null,
      html: `<html><body dir="auto">${REPLY}<br><br><div dir="ltr">Sent from my iPhone</div><div dir="ltr"><br><blockquote type="cite">On 23 Sep 2025, at 10:15, IT Support &lt;support@example.com&gt; wrote:<br><br></blockquote></div><blockquote type="cite"><div dir="ltr">Please restart the printer.</div></blockquote></body></html>`,
    },
    `${REPLY}\n\nSent from my iPhone`,
  ],
  [
    'HTML: Outlook (Microsoft 365) #appendonsend and #divRplyFwdMsg',
    {
      text: null,
      html: `<html><body><div style="font-family:Calibri">${REPLY}</div><div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri"><b>From:</b> IT Support &lt;support@example.com&gt;<br><b>Sent:</b> Tuesday, September 23, 2025 10:15 AM<br><b>To:</b> Anna Berg &lt;anna@example.com&gt;<br><b>Subject:</b> RE: Printer [INC0010001]</font><div>&nbsp;</div></div><div>Please restart the printer.</div></body></html>`,
    },
    REPLY,
  ],
  [
    'HTML: Outlook #divRplyFwdMsg alone, German headers',
    {
      text: null,
      html: '<html><body><div>Der Drucker geht wieder.</div><hr><div id="divRplyFwdMsg" dir="ltr"><b>Von:</b> IT Support<br><b>Gesendet:</b> Dienstag, 23. September 2025 10:15<br><b>Betreff:</b> AW: Drucker</div><div>Bitte neu starten.</div></body></html>',
    },
    'Der Drucker geht wieder.',
  ],
  [
    'HTML: Outlook desktop, From: block after a border (no quote markup)',
    {
      text: null,
      html: `<div class="WordSection1"><p class="MsoNormal">${REPLY}</p><p class="MsoNormal">&nbsp;</p><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>From:</b> IT Support &lt;support@example.com&gt;<br><b>Sent:</b> Tuesday, September 23, 2025 10:15 AM<br><b>To:</b> Anna Berg<br><b>Subject:</b> RE: Printer</p></div><p class="MsoNormal">Please restart the printer.</p></div>`,
    },
    REPLY,
  ],
  [
    'HTML: signature after "--&nbsp;"',
    { text: null, html: `<div>${REPLY}</div><div><br></div><div>--&nbsp;</div><div>Anna Berg</div><div>Finance</div>` },
    REPLY,
  ],
  [
    'HTML preferred over the text part',
    { text: 'the text part\n', html: `<p>${REPLY}</p><blockquote>Please restart the printer.</blockquote>` },
    REPLY,
  ],
  [
    'the text part when the HTML is all quote',
    { text: `${REPLY}\n\n> Please restart the printer.\n`, html: '<blockquote>Please restart the printer.</blockquote>' },
    REPLY,
  ],
];

describe('stripQuotedText', () => {
  it.each([...textCases, ...htmlCases])('%s', (_name, input, expected) => {
    expect(stripQuotedText(input)).toBe(expected);
  });

  it('keeps at least the first answer of an inline reply (text)', () => {
    const text = [
      'Answers below.',
      '',
      '> Which printer model is it?',
      'An HP LaserJet M507.',
      '',
      '> Since when does it jam?',
      'Since Monday.',
      '',
      'On Tue, Sep 23, 2025 at 10:15 AM IT Support <support@example.com> wrote:',
      '> Which printer model is it?',
      '> Since when does it jam?',
    ].join('\n');
    const stripped = stripQuotedText({ text, html: null });
    expect(stripped).toContain('Answers below.');
    expect(stripped).toContain('An HP LaserJet M507.');
  });

  it('keeps at least the first answer of an inline reply (HTML)', () => {
    const html =
      '<div>Answers below.</div><blockquote type="cite">Which printer model is it?</blockquote><div>An HP LaserJet M507.</div>' +
      '<blockquote type="cite">Since when does it jam?</blockquote><div>Since Monday.</div>';
    const stripped = stripQuotedText({ text: null, html });
    expect(stripped).toContain('Answers below.');
    expect(stripped).toContain('An HP LaserJet M507.');
  });

  it('gives plain text: no markup, no script, entities decoded', () => {
    const stripped = stripQuotedText({ text: null, html: '<p>Tom &amp; Jerry <b>&lt;3</b></p><script>alert(1)</script><style>p{}</style>' });
    expect(stripped).toBe('Tom & Jerry <3');
  });

  it('returns at most MAX_STRIPPED_CHARS characters, without control characters', () => {
    const stripped = stripQuotedText({ text: `a\u0000b\u001b ${'word '.repeat(100_000)}`, html: null });
    expect(stripped.length).toBeLessThanOrEqual(MAX_STRIPPED_CHARS);
    expect(stripped.startsWith('ab word')).toBe(true);
  });

  it('falls back to the unstripped text when planer fails', () => {
    jest.isolateModules(() => {
      jest.doMock('planer', () => ({
        markMessageLines: () => {
          throw new Error('planer failed');
        },
        processMarkedLines: () => [],
      }));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const isolated = require('../../src/mail/strip-quotes') as typeof import('../../src/mail/strip-quotes');
      expect(isolated.stripQuotedText({ text: `${REPLY}\n\n> Please restart.\n`, html: null })).toBe(`${REPLY}\n\n> Please restart.`);
      expect(isolated.stripQuotedText({ text: null, html: `<p>${REPLY}</p><blockquote>Please restart.</blockquote>` })).toBe(
        `${REPLY}\n\n> Please restart.`,
      );
    });
    jest.dontMock('planer');
  });

  // Not timed (a timed test fails on a busy machine, as it did in CI): a regression to quadratic or
  // worse work on these inputs runs into the per-test timeout instead. They take milliseconds to a second.
  describe('hostile input: returns, never throws, output capped', () => {
    const MB = 1_000_000;
    const hostile: Array<[string, { text: string | null; html: string | null }]> = [
      ['1 MB of ">" on one line', { text: '>'.repeat(MB), html: null }],
      ['500k lines of ">"', { text: '>\n'.repeat(MB / 2), html: null }],
      ['1 MB of ">" as HTML', { text: null, html: '>'.repeat(MB) }],
      ['blockquotes nested 5000 deep', { text: null, html: `${'<blockquote>'.repeat(5000)}x${'</blockquote>'.repeat(5000)}` }],
      ['1 MB of unclosed blockquotes', { text: null, html: '<blockquote>'.repeat(MB / 12) }],
      ['1 MB of unclosed <a>', { text: null, html: '<a>'.repeat(MB / 3) }],
      ['1990 sibling elements (about the most that get DOM cuts)', { text: null, html: '<div>On , Am Op </div>'.repeat(1990) }],
      [
        'the same, each holding a long line dense with attribution openers',
        { text: null, html: `<div>${'Am Op '.repeat(40)}</div>`.repeat(1990) },
      ],
      ['1 MB of sibling elements', { text: null, html: '<div>On , Am Op </div>'.repeat(MB / 22) }],
      ['lines dense with attribution openers ("Am Op ")', { text: `${'Am Op '.repeat(30)}\n`.repeat(6000), html: null }],
      ['one 1 MB line of "On ,"', { text: 'On ,'.repeat(MB / 4), html: null }],
      ['HTML lines dense with attribution openers', { text: null, html: `${'On ,Am Op '.repeat(10)}<br>`.repeat(4000) }],
      ['quote lines, then a forward marker', { text: `${'>\n'.repeat(5000)}---- Forwarded message ----\nx\n`, html: null }],
      ['1 MB of spaces', { text: ' '.repeat(MB), html: ' '.repeat(MB) }],
      ['1 MB of "<script>" openers', { text: null, html: '<script>'.repeat(MB / 8) }],
      ['1 MB of "<!--" openers', { text: null, html: '<!--'.repeat(MB / 4) }],
      ['1 MB of signature delimiters', { text: `Hi\n${'-- \n'.repeat(MB / 4)}`, html: null }],
    ];
    it.each(hostile)(
      '%s',
      (_name, input) => {
        const stripped = stripQuotedText(input);
        expect(typeof stripped).toBe('string');
        expect(stripped.length).toBeLessThanOrEqual(MAX_STRIPPED_CHARS);
      },
      30_000,
    );
  });
});
