// A configuration set's SNS event destination, as SES itself would find it, and publishing one event
// record there the way SES does (the record as the message, SES's subject).
import { DescribeConfigurationSetCommand, SESClient } from '@aws-sdk/client-ses';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SES_EVENT_SNS_SUBJECT, SesEvent } from './ses-events';

export interface SnsEventDestination {
  topicArn: string;
  /** MatchingEventTypes: send, delivery, bounce, complaint, ... */
  matching: string[];
}

export type DestinationLookup = { found: SnsEventDestination } | { missing: string };

export async function snsEventDestination(ses: SESClient, configurationSet: string): Promise<DestinationLookup> {
  let out;
  try {
    out = await ses.send(new DescribeConfigurationSetCommand({ ConfigurationSetName: configurationSet, ConfigurationSetAttributeNames: ['eventDestinations'] }));
  } catch (err) {
    if (/ConfigurationSetDoesNotExist/.test((err as Error).name)) return { missing: `configuration set ${configurationSet} does not exist` };
    throw err;
  }
  const destination = out.EventDestinations?.find((d) => d.Enabled !== false && d.SNSDestination?.TopicARN);
  if (!destination) return { missing: `configuration set ${configurationSet} has no enabled SNS event destination` };
  return { found: { topicArn: destination.SNSDestination!.TopicARN!, matching: (destination.MatchingEventTypes ?? []).map((t) => t.toLowerCase()) } };
}

export function wants(destination: SnsEventDestination, event: SesEvent): boolean {
  return destination.matching.includes(event.eventType.toLowerCase());
}

/** Publishes the record; returns SNS's message id. */
export async function publishSesEvent(sns: SNSClient, topicArn: string, event: SesEvent): Promise<string> {
  const out = await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: SES_EVENT_SNS_SUBJECT, Message: JSON.stringify(event) }));
  return out.MessageId ?? '';
}
