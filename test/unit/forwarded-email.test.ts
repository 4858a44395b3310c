// Finding the email forwarded in an email: realistic forwards of the common mail programs (test/fixtures/
// forwards), the attached form, the one-mailbox rule for the original sender, the notify tag, hostile text.
import { readFileSync } from 'fs';
import * as path from 'path';
import { asksToNotify, forwardShortDescription, NOTIFY_TAGS, withoutNotifyTags } from '../../src/domain/agent-forward';
import { forwardedSenderProblem } from '../../src/domain/sender-mailbox';
import { findForward, StoredForward } from '../../src/mail/forwarded-email';
import { parseEmail } from '../../src/mail/parse-email';

const TICKET = 'support@helpdesk.example.org';
const CARLA = { address: 'carla@customer.example', name: 'Carla Customer' };

async function forwardIn(raw: Buffer | string): Promise<StoredForward | null> {
  return findForward(await parseEmail(Buffer.isBuffer(raw) ? raw : Buffer.from(raw.replace(/\r?\n/g, '\r\n'))), TICKET);
}
const fixture = (name: string) => forwardIn(readFileSync(path.resolve(__dirname, '../fixtures/forwards', name)));

/** A plain-text email from the agent with this subject and text. */
function agentMail(subject: string, text: string): string {
  return `From: Agnes Agent <agent@example.com>\nTo: ${TICKET}\nSubject: ${subject}\nMessage-ID: <a1@example.com>\nContent-Type: text/plain; charset=utf-8\n\n${text}`;
}

describe('inline forwards of the common mail programs', () => {
  test('Gmail: "---------- Forwarded message ---------" (its text part; the HTML alternative is not needed)', async () => {
    expect(await fixture('gmail.eml')).toEqual({
      form: 'inline',
      from: CARLA,
      problem: null,
      notify: true,
      subject: 'Printer on floor 3 prints blank pages',
      shortDescription: 'Printer on floor 3 prints blank pages',
      messageId: null,
      description: 'Hello Agnes,\n\nthe printer on floor 3 (PRN-3F-EAST) prints blank pages since this morning.\nWe restarted it twice.\n\nThanks,\nCarla',
      note: 'Carla called about this as well, please help her today. #notify',
    });
  });

  test("Gmail's HTML part alone (converted to text as any HTML mail is) gives the same forward", async () => {
    const gmail = readFileSync(path.resolve(__dirname, '../fixtures/forwards/gmail.eml'), 'utf8');
    const htmlOnly = gmail.replace(/--000000000000gmailfwd\nContent-Type: text\/plain[\s\S]*?(?=--000000000000gmailfwd\nContent-Type: text\/html)/, '');
    expect(htmlOnly).not.toContain('text/plain');
    expect(await forwardIn(htmlOnly)).toEqual(await fixture('gmail.eml'));
  });

  test('Outlook desktop: "-----Original Message-----" then "From: … Sent: … To: … Subject:" (the separator stays out of the note)', async () => {
    expect(await fixture('outlook-original-message.eml')).toMatchObject({
      from: CARLA,
      notify: false,
      subject: 'VPN drops every hour',
      description: 'Hi,\n\nmy VPN connection drops every hour on the hour, and I have to log in again.\n\nRegards\nCarla',
      note: 'FYI - a ticket for Carla, please.',
    });
  });

  test('Outlook 365 in German: "Von: … Gesendet: … An: … Betreff:" under a line of underscores, subject "WG:"', async () => {
    expect(await fixture('outlook-365-german.eml')).toMatchObject({
      from: { address: 'carla@customer.example', name: 'Carla Kunde' },
      subject: 'Drucker im 3. Stock druckt leere Seiten',
      shortDescription: 'Drucker im 3. Stock druckt leere Seiten',
      description: 'Hallo,\n\nder Drucker im 3. Stock druckt seit heute Morgen nur leere Seiten.\n\nViele Grüße\nCarla Kunde',
      note: 'Bitte ein Ticket für Frau Kunde anlegen.',
    });
  });

  test('Outlook with "[mailto:…]" and no separator at all: found by its "FW:" subject', async () => {
    expect(await fixture('outlook-mailto.eml')).toMatchObject({
      from: CARLA,
      subject: 'Cannot open shared calendar',
      description: 'The shared calendar "Facilities" says I have no permission.',
      note: '',
    });
  });

  test('Apple Mail: "Begin forwarded message:", the tag in the subject, not in the short description', async () => {
    expect(await fixture('apple-mail.eml')).toMatchObject({
      from: CARLA,
      notify: true,
      subject: 'Invoice 2026-113 lists too many licences',
      shortDescription: 'Invoice 2026-113 lists too many licences',
      description: 'The invoice lists 12 licences; we have 10.\n\nCarla',
      note: 'See below.',
    });
  });

  test('Apple Mail quoting the forwarded message with ">": one level of quoting comes off', async () => {
    const text = 'Please.\n\nBegin forwarded message:\n\n> From: Carla Customer <carla@customer.example>\n> Subject: Wifi\n> Date: 30 November 2026\n> To: agent@example.com\n> \n> The wifi is down.\n> > an old quote\n';
    expect(await forwardIn(agentMail('Fwd: Wifi', text))).toMatchObject({ from: CARLA, subject: 'Wifi', description: 'The wifi is down.\n> an old quote', note: 'Please.' });
  });

  test('Thunderbird: "-------- Forwarded Message --------" with tab-aligned fields', async () => {
    expect(await fixture('thunderbird.eml')).toMatchObject({
      from: CARLA,
      subject: 'Login fails since this morning',
      description: 'I cannot log in since this morning: "account locked".',
      note: '',
    });
  });

  test('an email that forwards nothing has no forward; neither has a reply quoting one', async () => {
    expect(await forwardIn(agentMail('Printer', 'The printer is broken.\n\nCarla'))).toBeNull();
    expect(await forwardIn(agentMail('Re: Printer', 'Thanks!\n\nOn Mon, 30 Nov 2026 at 10:12, Carla <carla@customer.example> wrote:\n> broken'))).toBeNull();
  });

  test('the body is whole however long, with its long lines and runs of blank lines (the library sees a bounded view)', async () => {
    const long = `${'x'.repeat(5000)}\n${'\n'.repeat(3000)}${Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n')}`;
    const text = `Note\n\n---------- Forwarded message ---------\nFrom: Carla Customer <carla@customer.example>\nSubject: Long\nTo: agent@example.com\n\n${long}\nTHE END`;
    const found = await forwardIn(agentMail('Fwd: Long', text));
    expect(found?.description.startsWith('x'.repeat(5000))).toBe(true);
    expect(found?.description.endsWith('line 1999\nTHE END')).toBe(true);
    expect(found?.note).toBe('Note');
  });
});

describe('the attached form (message/rfc822)', () => {
  test('the attached message is read like any email: its sender, subject, text and Message-ID', async () => {
    expect(await fixture('attached.eml')).toEqual({
      form: 'attached',
      from: CARLA,
      problem: null,
      notify: true,
      subject: 'Laptop battery swollen',
      shortDescription: 'Laptop battery swollen',
      messageId: '<orig-battery@customer.example>',
      description: 'The battery of my laptop is swollen, the case does not close any more.',
      note: "Urgent: Carla's laptop battery is swollen.",
    });
  });

  const withAttached = (...messages: string[]) =>
    [
      'From: Agnes Agent <agent@example.com>',
      `To: ${TICKET}`,
      'Subject: Fwd: see attached',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'See attached.',
      ...messages.flatMap((m) => ['--b', 'Content-Type: message/rfc822', 'Content-Disposition: attachment; filename="m.eml"', '', m]),
      '--b--',
      '',
    ].join('\n');

  test('its From must be exactly one valid mailbox, by the same rule as any sender', async () => {
    const found = await forwardIn(withAttached('From: a@customer.example, b@customer.example\nSubject: Two\n\nHi'));
    expect(found).toMatchObject({ form: 'attached', from: null, problem: 'the From header names 2 mailboxes, not one', subject: 'Two' });
  });

  test('two attached messages are not one forward: the sender is not guessed', async () => {
    const one = 'From: a@customer.example\nSubject: One\n\nHi';
    expect(await forwardIn(withAttached(one, one))).toMatchObject({ from: null, problem: 'the email forwards 2 messages, not one' });
  });

  test('what the summary carries of it is bounded: a 100 KB subject, a 1.5 KB name, a 5 KB Message-ID', async () => {
    const found = await forwardIn(withAttached(`From: "${'N'.repeat(1500)}" <carla@customer.example>\nSubject: ${'S '.repeat(50_000)}\nMessage-ID: <${'m'.repeat(5000)}@x>\n\nHi`));
    expect(found!.subject.length).toBeLessThanOrEqual(998);
    expect(found!.shortDescription.length).toBeLessThanOrEqual(160);
    expect(found!.from!.name.length).toBeLessThanOrEqual(200);
    expect(found!.messageId).toBeNull();
  });

  test('an attached message without a sender names none', async () => {
    expect(await forwardIn(withAttached('Subject: Nobody\n\nHi'))).toMatchObject({ from: null, problem: 'the forwarded message names no sender' });
  });
});

describe('the original sender', () => {
  const forwardFrom = (fromLine: string) =>
    forwardIn(agentMail('Fwd: x', `---------- Forwarded message ---------\nFrom: ${fromLine}\nSubject: x\nTo: agent@example.com\n\nbody`));

  test('a From line naming two mailboxes is refused, not read as its first', async () => {
    expect(await forwardFrom('Carla <carla@customer.example>, Eve <eve@evil.example>')).toMatchObject({ from: null, problem: 'the forwarded From names 2 mailboxes, not one' });
  });

  test('our own address is never the customer (also with a +tag)', async () => {
    const found = await forwardFrom('Support <support+INC0010001@helpdesk.example.org>');
    expect(found?.from).toBeNull();
    expect(found?.problem).toMatch(/^the forwarded sender: support\+inc0010001@helpdesk\.example\.org is our own ticket address/);
  });

  test('a name without an address names no sender', async () => {
    expect(await forwardFrom('Carla Customer')).toMatchObject({ from: null, problem: 'the forwarded message names no sender' });
  });

  test('an address written twice (Outlook\'s "<a<mailto:a>>") is one mailbox; the address is lower-cased', async () => {
    expect(await forwardFrom('Carla Customer <Carla@Customer.example<mailto:Carla@Customer.example>>')).toMatchObject({ from: CARLA, problem: null });
  });

  test('forwardedSenderProblem judges the line by the addresses it names', () => {
    expect(forwardedSenderProblem(null, null)).toBe('the forwarded message names no sender');
    expect(forwardedSenderProblem({ address: 'not an address' }, 'From: not an address')).toBe('the forwarded sender is not a valid mailbox');
    expect(forwardedSenderProblem({ address: `${'a'.repeat(250)}@x.example` }, null)).toBe('the forwarded sender is not a valid mailbox');
    expect(forwardedSenderProblem({ address: 'carla@customer.example' }, 'From: "Carla" <carla@customer.example>')).toBeNull();
    expect(forwardedSenderProblem({ address: 'carla@customer.example' }, 'From: carla@customer.example; eve@evil.example')).toBe('the forwarded From names 2 mailboxes, not one');
  });
});

describe('the notify tag', () => {
  test('#notify or [notify], any case, in the agent\'s subject or own text', () => {
    for (const tag of NOTIFY_TAGS) expect(asksToNotify([`Fwd: Printer ${tag}`])).toBe(true);
    expect(asksToNotify(['Fwd: Printer #notify'])).toBe(true);
    expect(asksToNotify(['', 'Please help her. [NOTIFY]'])).toBe(true);
    expect(asksToNotify(['#Notify: please', ''])).toBe(true);
    expect(asksToNotify(['Fwd: Printer', 'Please help her.'])).toBe(false);
    expect(asksToNotify(['#notifyme', '[notify-later]', '#notify_x'])).toBe(false);
  });

  test('the customer\'s own text cannot ask for a confirmation', async () => {
    const text = 'Please.\n\n---------- Forwarded message ---------\nFrom: Carla Customer <carla@customer.example>\nSubject: Please reply #notify\nTo: agent@example.com\n\nMail me back [notify]';
    expect(await forwardIn(agentMail('Fwd: Please reply', text))).toMatchObject({ from: CARLA, notify: false });
  });

  test('tags and prefixes leave the short description; without an original subject the forwarder\'s is used', () => {
    expect(withoutNotifyTags('Fwd: Printer [notify] broken #notify')).toBe('Fwd: Printer broken');
    expect(forwardShortDescription(null, 'WG: TR: Drucker #notify', '')).toBe('Drucker');
    expect(forwardShortDescription('Re: Printer', 'Fwd: Re: Printer', '')).toBe('Printer');
    expect(forwardShortDescription('', '#notify', 'First line\nsecond')).toBe('First line');
  });
});

describe('hostile text', () => {
  test('text that makes the library backtrack badly is read within two seconds at most (unbounded, it takes minutes; it only sees a bounded view)', async () => {
    const texts = [
      '\n'.repeat(200_000),
      ' '.repeat(200_000),
      'From: ' + 'a <'.repeat(60_000),
      ('x időpontban ' + 'x <('.repeat(2000) + '\n').repeat(50),
      '---------- Forwarded message ---------\nFrom: ' + 'a <'.repeat(60_000) + '\nSubject: x\n\nbody',
      ' \t\n'.repeat(60_000) + '---------- Forwarded message ---------\nFrom: a@b.example\n\nx',
    ];
    for (const text of texts) {
      const started = Date.now();
      await forwardIn(agentMail('Fwd: x', text));
      expect(Date.now() - started).toBeLessThan(2000);
    }
  });
});
