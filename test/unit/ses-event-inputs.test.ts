// What the SES events emitter reads from a send: the request as the AWS SDK puts it on the wire, the
// raw message's headers (bounded: mail content is hostile), and the mailbox simulator's addresses.
import { SendEmailCommand, SendRawEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { MAX_HEADER_BYTES, MAX_HEADERS, bareAddress, decodeEncodedWords, parseHeaderBlock, splitAddressList } from '../../src/stack/mail-headers';
import { simulatedOutcome } from '../../src/stack/mailbox-simulator';
import { credentialScope, messageIdOf, parseSendRequest } from '../../src/stack/ses-send-request';

/** The part of the SDK's HTTP request read here. */
interface HttpRequest {
  body?: unknown;
  headers: Record<string, string>;
}

/** The HTTP request the SDK would send for the command (sent nowhere). */
async function wireRequest(command: SendRawEmailCommand | SendEmailCommand): Promise<HttpRequest> {
  let captured: HttpRequest | undefined;
  const client = new SESClient({
    region: 'eu-west-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: HttpRequest) => {
        captured = request;
        throw new Error('captured');
      },
    },
  });
  await expect(client.send(command as SendRawEmailCommand)).rejects.toThrow('captured');
  return captured!;
}

describe('parseSendRequest', () => {
  test('SendRawEmail as the SDK sends it: configuration set, tags, destinations, source and the raw message', async () => {
    const raw = 'From: a@x.example\r\nTo: b@y.example\r\nSubject: hi\r\n\r\nbody';
    const req = await wireRequest(
      new SendRawEmailCommand({
        RawMessage: { Data: Buffer.from(raw) },
        Source: 'a@x.example',
        Destinations: ['b@y.example', 'bounce@simulator.amazonses.com'],
        ConfigurationSetName: 'email-to-ticket',
        Tags: [{ Name: 'outbound-id', Value: '42' }, { Name: 'kind', Value: 'confirmation' }],
      }),
    );
    const send = parseSendRequest(String(req.body));
    expect(send).toMatchObject({
      action: 'SendRawEmail',
      configurationSet: 'email-to-ticket',
      source: 'a@x.example',
      destinations: ['b@y.example', 'bounce@simulator.amazonses.com'],
      tags: { 'outbound-id': '42', kind: 'confirmation' },
    });
    expect(send!.raw!.toString()).toBe(raw);
    expect(credentialScope(req.headers.authorization)).toEqual({ accessKey: 'AKIDEXAMPLE', region: 'eu-west-1', service: 'ses' });
  });

  test('SendEmail: To, Cc and Bcc are the destinations; no configuration set is null', async () => {
    const req = await wireRequest(
      new SendEmailCommand({
        Source: 'a@x.example',
        Destination: { ToAddresses: ['b@y.example'], CcAddresses: ['c@y.example'], BccAddresses: ['d@y.example'] },
        Message: { Subject: { Data: 'Hello' }, Body: { Text: { Data: 'x' } } },
      }),
    );
    expect(parseSendRequest(String(req.body))).toMatchObject({ action: 'SendEmail', configurationSet: null, destinations: ['b@y.example', 'c@y.example', 'd@y.example'], subject: 'Hello', raw: null });
  });

  test('other actions are not sends', () => {
    expect(parseSendRequest('Action=DescribeConfigurationSet&ConfigurationSetName=x')).toBeNull();
    expect(parseSendRequest('not a form')).toBeNull();
  });

  test("the MessageId of SES's answer", () => {
    expect(messageIdOf('<SendRawEmailResponse><SendRawEmailResult><MessageId>abc-123</MessageId></SendRawEmailResult></SendRawEmailResponse>')).toBe('abc-123');
    expect(messageIdOf('<ErrorResponse/>')).toBeNull();
  });
});

describe('parseHeaderBlock', () => {
  test('headers in order, unfolded, stopping at the blank line; commonHeaders with addresses as written', () => {
    const raw = Buffer.from(
      [
        'From: "Support, Team" <tickets@x.example>',
        'To: "Doe, Jane" <jane@y.example>, bob@y.example',
        'Cc: carol@y.example',
        'Subject: =?UTF-8?Q?Drucker_f=C3=A4llt?=',
        ' =?UTF-8?B?IGF1cw==?=',
        'Date: Mon, 30 Nov 2026 10:00:00 +0000',
        'Message-ID: <m1@x.example>',
        '',
        'X-Not-A-Header: body text',
      ].join('\r\n'),
    );
    const parsed = parseHeaderBlock(raw);
    expect(parsed.headers.map((h) => h.name)).toEqual(['From', 'To', 'Cc', 'Subject', 'Date', 'Message-ID']);
    expect(parsed.headers[3].value).toBe('=?UTF-8?Q?Drucker_f=C3=A4llt?= =?UTF-8?B?IGF1cw==?=');
    expect(parsed.headersTruncated).toBe(false);
    expect(parsed.commonHeaders).toEqual({
      from: ['"Support, Team" <tickets@x.example>'],
      to: ['"Doe, Jane" <jane@y.example>', 'bob@y.example'],
      cc: ['carol@y.example'],
      date: 'Mon, 30 Nov 2026 10:00:00 +0000',
      subject: 'Drucker fällt aus',
    });
  });

  test(`at most ${MAX_HEADERS} headers, and the list is marked truncated`, () => {
    const raw = Buffer.from(Array.from({ length: 5000 }, (_, i) => `X-H${i}: v`).join('\r\n') + '\r\n\r\nbody');
    const parsed = parseHeaderBlock(raw);
    expect(parsed.headers).toHaveLength(MAX_HEADERS);
    expect(parsed.headersTruncated).toBe(true);
  });

  test(`the list is cut at ${MAX_HEADER_BYTES} bytes`, () => {
    const raw = Buffer.from(Array.from({ length: 20 }, (_, i) => `X-Big${i}: ${'a'.repeat(1000)}`).join('\r\n') + '\r\n\r\n');
    const parsed = parseHeaderBlock(raw);
    expect(parsed.headersTruncated).toBe(true);
    expect(parsed.headers.length).toBeLessThan(20);
    expect(parsed.headers.reduce((n, h) => n + h.name.length + h.value.length, 0)).toBeLessThanOrEqual(MAX_HEADER_BYTES);
  });

  test('a huge header block without an end is read only in part', () => {
    const raw = Buffer.alloc(5 * 1024 * 1024, 'a');
    const started = Date.now();
    const parsed = parseHeaderBlock(raw);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(parsed.headers).toEqual([]);
    expect(parsed.headersTruncated).toBe(true);
  });

  test('address lists, bare addresses and encoded words', () => {
    expect(splitAddressList('"a, b" <a@x>, c@y, <d@z>')).toEqual(['"a, b" <a@x>', 'c@y', '<d@z>']);
    expect(splitAddressList(Array.from({ length: 500 }, (_, i) => `u${i}@x`).join(','))).toHaveLength(50);
    expect(bareAddress('Jane <Jane@Y.example>')).toBe('jane@y.example');
    expect(bareAddress('not an address')).toBeNull();
    expect(decodeEncodedWords('=?ISO-8859-1?Q?M=FCller?= and =?x-unknown?Q?a?=')).toBe('Müller and =?x-unknown?Q?a?=');
  });
});

describe('simulatedOutcome', () => {
  test("the mailbox simulator's addresses, with or without a +label", () => {
    expect(simulatedOutcome('bounce@simulator.amazonses.com')).toMatchObject({ kind: 'bounce', bounce: { bounceType: 'Permanent', bounceSubType: 'General', status: '5.1.1' } });
    expect(simulatedOutcome('Bounce+test1@Simulator.AmazonSES.com')).toMatchObject({ kind: 'bounce' });
    expect(simulatedOutcome('suppressionlist@simulator.amazonses.com')).toMatchObject({ kind: 'bounce', bounce: { bounceType: 'Permanent', bounceSubType: 'OnAccountSuppressionList' } });
    expect(simulatedOutcome('complaint@simulator.amazonses.com')).toEqual({ kind: 'delivery-then-complaint' });
    expect(simulatedOutcome('ooto@simulator.amazonses.com')).toEqual({ kind: 'delivery' });
    expect(simulatedOutcome('success@simulator.amazonses.com')).toEqual({ kind: 'delivery' });
    expect(simulatedOutcome('bounce@example.com')).toEqual({ kind: 'delivery' });
  });
});
