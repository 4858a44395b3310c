// An SES (v1, query protocol) send request as the emitter sees it on the wire: a form-encoded body
// with Action, Source, ConfigurationSetName, Tags.member.N.Name/Value and the recipients; the raw
// message of SendRawEmail (RawMessage.Data, base64). And the MessageId in SES's XML answer.

export const SEND_ACTIONS = ['SendRawEmail', 'SendEmail', 'SendTemplatedEmail'] as const;
export type SendAction = (typeof SEND_ACTIONS)[number];

/** Recipients and tags kept per request: SES allows 50 recipients and 50 tags. */
const MAX_LIST = 50;

export interface SendRequest {
  action: SendAction;
  configurationSet: string | null;
  source: string | null;
  /** Destinations.member.N (SendRawEmail) or Destination.To/Cc/BccAddresses.member.N (the others). */
  destinations: string[];
  tags: Record<string, string>;
  /** The raw message (SendRawEmail), else null. */
  raw: Buffer | null;
  /** SendEmail's subject, for the headers the event shows. */
  subject: string | null;
}

/** The send request in the body, or null when it is not one (another action, another encoding). */
export function parseSendRequest(body: string): SendRequest | null {
  const form = new URLSearchParams(body);
  const action = form.get('Action');
  if (!SEND_ACTIONS.includes(action as SendAction)) return null;
  const members = (prefix: string) => {
    const out: string[] = [];
    for (let i = 1; i <= MAX_LIST; i++) {
      const value = form.get(`${prefix}.member.${i}`);
      if (value === null) break;
      out.push(value);
    }
    return out;
  };
  const tags: Record<string, string> = {};
  for (let i = 1; i <= MAX_LIST; i++) {
    const name = form.get(`Tags.member.${i}.Name`);
    if (name === null) break;
    tags[name] = form.get(`Tags.member.${i}.Value`) ?? '';
  }
  const destinations =
    action === 'SendRawEmail'
      ? members('Destinations')
      : [...members('Destination.ToAddresses'), ...members('Destination.CcAddresses'), ...members('Destination.BccAddresses')];
  const data = action === 'SendRawEmail' ? form.get('RawMessage.Data') : null;
  return {
    action: action as SendAction,
    configurationSet: form.get('ConfigurationSetName') || null,
    source: form.get('Source') || null,
    destinations,
    tags,
    raw: data === null ? null : Buffer.from(data, 'base64'),
    subject: form.get('Message.Subject.Data'),
  };
}

/** The <MessageId> of SES's answer to a send. */
export function messageIdOf(xml: string): string | null {
  return /<MessageId>([^<]{1,200})<\/MessageId>/.exec(xml)?.[1]?.trim() ?? null;
}

/** The service, region and access key of a SigV4 Authorization header (Credential=KEY/DATE/REGION/SERVICE/aws4_request). */
export function credentialScope(authorization: string | undefined): { accessKey: string; region: string; service: string } | null {
  const m = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/.exec(authorization ?? '');
  return m ? { accessKey: m[1], region: m[2], service: m[3] } : null;
}
