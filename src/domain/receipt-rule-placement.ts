// Which SES receipt rule set our rule goes into, and whether that set is made active. A region has
// one active rule set; making another one active silently stops every rule of the old one, which
// may be receiving someone else's mail. So only an explicit request activates a set.

export const DEFAULT_RECEIPT_RULE_SET = 'stackflow-inbound';

export interface PlacementInput {
  /** The region's active rule set, if one is. */
  active: string | undefined;
  /** The rule set the user named, if they did. */
  requested: string | undefined;
  /** The user asked for the rule set to be made active (`--activate-rule-set`). */
  activate: boolean;
}

export interface Placement {
  ruleSet: string;
  /** SetActiveReceiptRuleSet is to be called (only when asked, and the set is not active yet). */
  activateNow: boolean;
  /** The rule set that activating replaces (its rules stop applying). */
  replaces: string | undefined;
  /** Whether SES applies the set's rules once setup is done. */
  activeAfter: boolean;
  /** What the user should know: why mail is not received yet, or what was replaced. */
  notes: string[];
}

export function placeReceiptRule(input: PlacementInput): Placement {
  const ruleSet = input.requested ?? input.active ?? DEFAULT_RECEIPT_RULE_SET;
  const alreadyActive = ruleSet === input.active;
  const activateNow = input.activate && !alreadyActive;
  const replaces = activateNow ? input.active : undefined;
  const notes: string[] = [];
  if (replaces) notes.push(`rule set ${ruleSet} replaces ${replaces} as the region's active rule set: the rules of ${replaces} no longer apply`);
  if (!alreadyActive && !activateNow) {
    notes.push(
      input.active
        ? `rule set ${ruleSet} is not active (${input.active} is): SES does not apply our rule until ${ruleSet} is active or the rule is in ${input.active} (setup without --rule-set adds it there); --activate-rule-set would replace ${input.active}, stopping its rules`
        : `no rule set is active in the region, so SES receives no mail yet: run setup again with --activate-rule-set to make ${ruleSet} active`,
    );
  }
  return { ruleSet, activateNow, replaces, activeAfter: alreadyActive || activateNow, notes };
}
