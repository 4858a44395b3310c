// Our SES receipt rule, put into the rule set placeReceiptRule chose: created, or updated when a
// previous run made it. A rule set is made active only when the placement says so (asked for).
import {
  CreateReceiptRuleCommand,
  CreateReceiptRuleSetCommand,
  DescribeActiveReceiptRuleSetCommand,
  DescribeReceiptRuleSetCommand,
  ReceiptRule,
  SetActiveReceiptRuleSetCommand,
  UpdateReceiptRuleCommand,
} from '@aws-sdk/client-ses';
import { Placement } from '../domain/receipt-rule-placement';
import { AwsClients } from './clients';

export const RECEIPT_RULE = 'inbound-to-ticket';

/** The region's active rule set. Also the first receiving call setup makes: in a region where SES
 *  does not receive mail it fails here, before anything is created. */
export async function activeRuleSet(aws: AwsClients): Promise<string | undefined> {
  const out = await aws.ses.send(new DescribeActiveReceiptRuleSetCommand({}));
  return out.Metadata?.Name;
}

/** The names of the set's rules, or undefined when the set does not exist. */
async function ruleNames(aws: AwsClients, ruleSet: string): Promise<string[] | undefined> {
  try {
    const out = await aws.ses.send(new DescribeReceiptRuleSetCommand({ RuleSetName: ruleSet }));
    return (out.Rules ?? []).map((r) => r.Name!);
  } catch (err) {
    if ((err as Error).name === 'RuleSetDoesNotExistException' || (err as Error).name === 'RuleSetDoesNotExist') return undefined;
    throw err;
  }
}

export interface ReceiptRuleOutcome {
  ruleSet: string;
  rule: string;
  /** created, or updated (a previous run made it). */
  change: 'created' | 'updated';
  ruleSetCreated: boolean;
  activated: boolean;
  active: boolean;
  notes: string[];
}

export async function putReceiptRule(aws: AwsClients, placement: Placement, rule: ReceiptRule): Promise<ReceiptRuleOutcome> {
  const { ruleSet } = placement;
  let names = await ruleNames(aws, ruleSet);
  const ruleSetCreated = names === undefined;
  if (names === undefined) {
    await aws.ses.send(new CreateReceiptRuleSetCommand({ RuleSetName: ruleSet }));
    names = [];
  }
  const change = names.includes(rule.Name!) ? 'updated' : 'created';
  if (change === 'updated') {
    await aws.ses.send(new UpdateReceiptRuleCommand({ RuleSetName: ruleSet, Rule: rule }));
  } else {
    // After the set's other rules, so that they run as they did (without After, SES puts it first).
    await aws.ses.send(new CreateReceiptRuleCommand({ RuleSetName: ruleSet, Rule: rule, After: names.at(-1) }));
  }
  if (placement.activateNow) await aws.ses.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: ruleSet }));
  const notes = [...placement.notes];
  if (change === 'created' && names.length > 0) {
    notes.push(`rule ${rule.Name} was added after the ${names.length} rule(s) already in ${ruleSet}: one of them that stops (Stop action) for ${rule.Recipients?.join(', ')} keeps mail from reaching us`);
  }
  return { ruleSet, rule: rule.Name!, change, ruleSetCreated, activated: placement.activateNow, active: placement.activeAfter, notes };
}
