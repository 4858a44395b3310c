// `delivery-event bounce|complaint <address>`: on the local stack, the feedback a recipient's mail server
// or mailbox would cause, for the newest mail sent to that address: the Bounce or Complaint record SES
// would publish, to the configuration set's event destination. Never on AWS: there only SES publishes.
import { Pool } from 'pg';
import { AwsClients } from '../aws/clients';
import { arnAccount } from '../aws/ses-bucket-policy';
import { Config } from '../config';
import { latestOutboundTo, OutboundRecord } from '../db/outbound-emails';
import { OUTBOUND_MESSAGE_TAG, outboundMessageTag } from '../domain/delivery-events';
import { commonHeadersOf } from './mail-headers';
import { publishSesEvent, snsEventDestination, wants } from './event-destination';
import { BOUNCES, bounceEvent, complaintEvent, eventTags, SesEvent, sesMail } from './ses-events';

export type InjectedKind = 'bounce' | 'complaint';

export interface Injected {
  event: SesEvent;
  topicArn: string;
  outbound: OutboundRecord;
  snsMessageId: string;
}

/** The complaint's user agent: says where it came from. */
const INJECT_USER_AGENT = 'email-to-ticket delivery-event (local stand-in for a feedback loop)';

export async function injectDeliveryEvent(
  deps: { pool: Pool; aws: AwsClients; config: Config },
  kind: InjectedKind,
  address: string,
  options: { transient?: boolean } = {},
): Promise<Injected> {
  const { config } = deps;
  if (!config.aws.endpoint) {
    throw new Error('delivery-event works on the local stack only (AWS_ENDPOINT_URL is unset: this is real AWS, where only SES may publish delivery events)');
  }
  if (kind !== 'bounce' && options.transient) throw new Error('--transient is for bounces');
  const configurationSet = config.delivery.configurationSet;
  if (!configurationSet) throw new Error('No configuration set (SES_CONFIGURATION_SET=none): there is no event destination to publish to');
  const outbound = await latestOutboundTo(deps.pool, address);
  if (!outbound) throw new Error(`Nothing was sent to ${address.trim().toLowerCase()}: no outbound email to it has been sent`);
  if (!outbound.sesMessageId) throw new Error(`Outbound email ${outbound.id} to ${outbound.recipient} has no SES message id`);
  const lookup = await snsEventDestination(deps.aws.ses, configurationSet);
  if ('missing' in lookup) throw new Error(`Nothing published: ${lookup.missing}`);

  const from = config.ticketAddress;
  const sentAt = new Date(outbound.sentAt!);
  // The raw message is not kept: the headers are those the record holds.
  const headers = [
    { name: 'From', value: from },
    { name: 'To', value: outbound.recipient },
    ...(outbound.subject !== null ? [{ name: 'Subject', value: outbound.subject }] : []),
    ...(outbound.messageId ? [{ name: 'Message-ID', value: outbound.messageId }] : []),
  ];
  const mail = sesMail({
    sentAt,
    source: from,
    region: config.aws.region,
    account: arnAccount(lookup.found.topicArn).account,
    sesMessageId: outbound.sesMessageId,
    destination: [outbound.recipient],
    headers,
    headersTruncated: false,
    commonHeaders: commonHeadersOf(headers),
    tags: eventTags({
      configurationSet,
      sourceIp: '127.0.0.1',
      fromDomain: from.split('@')[1],
      callerIdentity: 'email-to-ticket',
      // The tag our mail is sent with (outbound-mail.ts), as SES would repeat it.
      messageTags: outbound.messageId ? { [OUTBOUND_MESSAGE_TAG]: outboundMessageTag(outbound.messageId) } : {},
    }),
  });
  const now = new Date();
  const event =
    kind === 'bounce'
      ? bounceEvent(mail, [outbound.recipient], options.transient ? BOUNCES.mailboxFull : BOUNCES.userUnknown, now)
      : complaintEvent(mail, [outbound.recipient], now, { userAgent: INJECT_USER_AGENT });
  if (!wants(lookup.found, event)) throw new Error(`Nothing published: the event destination of ${configurationSet} does not take ${kind} events`);
  const snsMessageId = await publishSesEvent(deps.aws.sns, lookup.found.topicArn, event);
  return { event, topicArn: lookup.found.topicArn, outbound, snsMessageId };
}
