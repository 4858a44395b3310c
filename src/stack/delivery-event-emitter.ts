// The local stand-in for SES event publishing: a pass-through proxy in front of moto's SES. moto accepts
// a send through a configuration set but publishes nothing; this proxy forwards every request unchanged
// and, when moto accepted a send (SendRawEmail, SendEmail, SendTemplatedEmail) that names a configuration
// set, publishes what SES would to that set's SNS event destination: Send, then per recipient Delivery,
// or what the mailbox simulator answers for its addresses (mailbox-simulator.ts). Publishing happens
// after the answer is passed on and never fails the send: a problem is logged.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { SESClient } from '@aws-sdk/client-ses';
import { SNSClient } from '@aws-sdk/client-sns';
import { arnAccount } from '../aws/ses-bucket-policy';
import type { Logger } from '../logger';
import { LookupCache } from '../domain/lookup-cache';
import { DestinationLookup, publishSesEvent, SnsEventDestination, snsEventDestination, wants } from './event-destination';
import { simulatedOutcome } from './mailbox-simulator';
import { passThrough } from './pass-through';
import { bareAddress, commonHeadersOf, parseHeaderBlock, ParsedHeaders, splitAddressList } from './mail-headers';
import { complaintEvent, deliveryEvent, eventTags, bounceEvent, sendEvent, SesEvent, sesMail } from './ses-events';
import { credentialScope, messageIdOf, parseSendRequest, SendRequest } from './ses-send-request';

/** Request bodies read for a send: SES takes raw messages of up to 10 MB (base64 and form-encoded: more). */
const MAX_INSPECTED_REQUEST_BYTES = 24 * 1024 * 1024;
/** SES's answer to a send is a short XML document. */
const MAX_INSPECTED_RESPONSE_BYTES = 64 * 1024;
/** What the complaint simulator says complained. */
const SIMULATOR_USER_AGENT = 'Amazon SES Mailbox Simulator';

export interface EmitterOptions {
  /** moto's URL: every request goes there. */
  upstream: URL;
  region: string;
  log: Logger;
  /** How long a configuration set's destination is remembered. */
  destinationTtlMs?: number;
}

export class DeliveryEventEmitter {
  private server: Server | null = null;
  private readonly ses: SESClient;
  private readonly sns: SNSClient;
  /** Lookups kept for a while, so that a burst of sends asks once; any name a client sends is a key, so few are kept. */
  private readonly destinations: LookupCache<Promise<DestinationLookup>>;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly o: EmitterOptions) {
    const client = { region: o.region, endpoint: o.upstream.toString().replace(/\/+$/, '') };
    this.ses = new SESClient(client);
    this.sns = new SNSClient(client);
    this.destinations = new LookupCache(o.destinationTtlMs ?? 10_000, 100);
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => this.forward(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, resolve);
    });
    return `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }

  /** Resolves once the events of every send answered so far are published (or failed). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.idle();
    this.ses.destroy();
    this.sns.destroy();
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const inspect = req.method === 'POST' && /application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '');
    const requestChunks: Buffer[] = [];
    let requestBytes = 0;
    req.on('data', (chunk: Buffer) => {
      requestBytes += chunk.length;
      if (inspect && requestBytes <= MAX_INSPECTED_REQUEST_BYTES) requestChunks.push(chunk);
    });
    passThrough(this.o.upstream, req, res, (response) => {
      res.writeHead(response.statusCode ?? 502, response.headers);
      const responseChunks: Buffer[] = [];
      let responseBytes = 0;
      response.on('data', (chunk: Buffer) => {
        responseBytes += chunk.length;
        if (responseBytes <= MAX_INSPECTED_RESPONSE_BYTES) responseChunks.push(chunk);
      });
      response.on('end', () => {
        if (!inspect || response.statusCode !== 200 || requestBytes > MAX_INSPECTED_REQUEST_BYTES || responseBytes > MAX_INSPECTED_RESPONSE_BYTES) return;
        this.afterAnswer(req, Buffer.concat(requestChunks).toString('latin1'), Buffer.concat(responseChunks).toString('utf8'));
      });
      response.pipe(res);
    });
  }

  private afterAnswer(req: IncomingMessage, body: string, answer: string): void {
    const send = parseSendRequest(body);
    if (!send?.configurationSet) return;
    const sesMessageId = messageIdOf(answer);
    if (!sesMessageId) return this.o.log.warn({ action: send.action }, 'moto answered a send without a MessageId: no events');
    const scope = credentialScope(req.headers.authorization);
    const origin = { sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1', callerIdentity: scope?.accessKey ?? 'unknown', region: scope?.region ?? this.o.region };
    const work = this.publishFor(send, sesMessageId, origin, new Date())
      .catch((err: Error) => this.o.log.error({ sesMessageId, err: err.message }, 'publishing the events of a send failed'))
      .finally(() => this.pending.delete(work));
    this.pending.add(work);
  }

  private async publishFor(send: SendRequest, sesMessageId: string, origin: { sourceIp: string; callerIdentity: string; region: string }, sentAt: Date): Promise<void> {
    const configurationSet = send.configurationSet!;
    const lookup = await this.destinationOf(configurationSet);
    if ('missing' in lookup) return this.o.log.info({ sesMessageId, configurationSet }, `no events published: ${lookup.missing}`);
    const destination = lookup.found;
    const parsed = headersOf(send);
    const headerFrom = bareAddress(parsed.commonHeaders.from[0] ?? '');
    const source = send.source ?? headerFrom ?? 'unknown';
    const fromAddress = headerFrom ?? bareAddress(source) ?? source;
    const recipients = send.destinations.length > 0 ? send.destinations : headerRecipients(parsed);
    const mail = sesMail({
      sentAt,
      source,
      region: origin.region,
      account: arnAccount(destination.topicArn).account,
      sesMessageId,
      destination: recipients,
      headers: parsed.headers,
      headersTruncated: parsed.headersTruncated,
      commonHeaders: parsed.commonHeaders,
      tags: eventTags({ configurationSet, sourceIp: origin.sourceIp, fromDomain: fromAddress.split('@')[1] ?? '', callerIdentity: origin.callerIdentity, messageTags: send.tags }),
    });
    await this.publish(destination, sendEvent(mail));
    for (const recipient of recipients) {
      const outcome = simulatedOutcome(bareAddress(recipient) ?? recipient);
      if (outcome.kind === 'bounce') {
        await this.publish(destination, bounceEvent(mail, [recipient], outcome.bounce, new Date()));
        continue;
      }
      await this.publish(destination, deliveryEvent(mail, [recipient], new Date()));
      if (outcome.kind === 'delivery-then-complaint') await this.publish(destination, complaintEvent(mail, [recipient], new Date(), { userAgent: SIMULATOR_USER_AGENT }));
    }
  }

  private destinationOf(configurationSet: string): Promise<DestinationLookup> {
    const now = Date.now();
    const cached = this.destinations.get(configurationSet, now);
    if (cached) return cached;
    const lookup = snsEventDestination(this.ses, configurationSet);
    this.destinations.set(configurationSet, lookup, now);
    // A failed lookup is not kept: the next send asks again.
    lookup.catch(() => this.destinations.forget(configurationSet));
    return lookup;
  }

  /** One record; a failure is logged and the next record still goes. */
  private async publish(destination: SnsEventDestination, event: SesEvent): Promise<void> {
    if (!wants(destination, event)) return;
    try {
      await publishSesEvent(this.sns, destination.topicArn, event);
      this.o.log.info({ sesMessageId: event.mail.messageId, eventType: event.eventType, topicArn: destination.topicArn }, 'published');
    } catch (err) {
      this.o.log.error({ sesMessageId: event.mail.messageId, eventType: event.eventType, err: (err as Error).message }, 'publishing an event failed');
    }
  }
}

/** The raw message's headers, or for SendEmail / SendTemplatedEmail those SES would write. */
function headersOf(send: SendRequest): ParsedHeaders {
  if (send.raw) return parseHeaderBlock(send.raw);
  const headers = [
    ...(send.source ? [{ name: 'From', value: send.source }] : []),
    ...(send.destinations.length ? [{ name: 'To', value: send.destinations.join(', ') }] : []),
    // A templated email's subject is rendered later: SES's Send event has none either.
    ...(send.subject !== null ? [{ name: 'Subject', value: send.subject }] : []),
    { name: 'MIME-Version', value: '1.0' },
  ];
  return { headers, headersTruncated: false, commonHeaders: commonHeadersOf(headers) };
}

/** With no Destinations given, SES sends to the To, Cc and Bcc headers' addresses. */
function headerRecipients(parsed: ParsedHeaders): string[] {
  const wanted = new Set(['to', 'cc', 'bcc']);
  return parsed.headers
    .filter((h) => wanted.has(h.name.toLowerCase()))
    .flatMap((h) => splitAddressList(h.value))
    .map((m) => bareAddress(m))
    .filter((a): a is string => a !== null);
}
