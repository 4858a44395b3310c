// What agents are shown of an incident's emails is bounded, whatever a stored parse holds.
import type { StoredEmail } from '../../src/activities/inbound-email-store';
import { describeSize, emailLines, emailParts, MAX_ATTACHMENTS_LISTED } from '../../src/operations/incident-emails';

const stored = (attachments: Partial<StoredEmail['attachments'][number]>[], extra: Partial<StoredEmail> = {}) =>
  ({ subject: 'Printer', from: { address: 'dana@example.net', name: 'Dana' }, attachments, ...extra }) as StoredEmail;

test('at most MAX_ATTACHMENTS_LISTED attachments are listed, the rest counted; names cut at 200 characters', () => {
  const many = Array.from({ length: MAX_ATTACHMENTS_LISTED + 7 }, (_, i) => ({ filename: `${'n'.repeat(300)}-${i}`, contentType: 'text/plain', size: i, inline: false }));
  const listed = emailParts(stored(many));
  expect(listed.attachments).toHaveLength(MAX_ATTACHMENTS_LISTED);
  expect(listed.attachmentsNotListed).toBe(7);
  expect(Array.from(listed.attachments[0].filename).length).toBeLessThanOrEqual(200);
  expect(listed.attachments[49]).toMatchObject({ index: 49, size: 49 });
});

test('a parse without the newer fields (no HTML key, no file name) is listed with what it has', () => {
  const listed = emailParts(stored([{ contentType: 'application/pdf', size: 10 }]));
  expect(listed).toMatchObject({ hasHtml: false, from: 'dana@example.net', attachments: [{ index: 0, filename: 'attachment-1', contentType: 'application/pdf', size: 10, inline: false }] });
  expect(emailParts(stored([], { htmlKey: 'parsed/x/body.html' })).hasHtml).toBe(true);
});

test('the CLI lines: one per attachment, on one line whatever the name holds', () => {
  const lines = emailLines({
    emails: [{ sesMessageId: 'ses-1', original: true, receivedAt: '2026-11-30T10:00:00.000Z', subject: 's', from: null, hasHtml: true, attachments: [{ index: 0, filename: 'a\nb.txt', contentType: 'text/plain', size: 2048, inline: false }], attachmentsNotListed: 3 }],
    emailsNotListed: 0,
  });
  expect(lines).toEqual(['', 'Emails:', '  original  2026-11-30T10:00:00.000Z  ses-1  (HTML body: see the admin page)', '    a b.txt  text/plain  2.0 KB', '    (3 more attachments not listed)']);
});

test.each([[0, '0 B'], [1023, '1023 B'], [1536, '1.5 KB'], [5 * 1024 * 1024, '5.0 MB']])('describeSize(%p) = %p', (bytes, text) => {
  expect(describeSize(bytes)).toBe(text);
});
