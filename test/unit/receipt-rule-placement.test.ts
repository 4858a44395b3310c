import { placeReceiptRule } from '../../src/domain/receipt-rule-placement';

describe('placeReceiptRule', () => {
  test("an active rule set is kept: our rule goes into it, nothing is activated", () => {
    expect(placeReceiptRule({ active: 'company-mail', requested: undefined, activate: false })).toEqual({
      ruleSet: 'company-mail',
      activateNow: false,
      replaces: undefined,
      activeAfter: true,
      notes: [],
    });
  });

  test('--activate-rule-set with the active set chosen: already active, nothing called', () => {
    expect(placeReceiptRule({ active: 'company-mail', requested: undefined, activate: true })).toMatchObject({ ruleSet: 'company-mail', activateNow: false, activeAfter: true });
  });

  test('no active rule set: ours, not activated unless asked, and the note says how', () => {
    const placement = placeReceiptRule({ active: undefined, requested: undefined, activate: false });
    expect(placement).toMatchObject({ ruleSet: 'stackflow-inbound', activateNow: false, activeAfter: false });
    expect(placement.notes).toEqual([expect.stringContaining('--activate-rule-set to make stackflow-inbound active')]);
    expect(placeReceiptRule({ active: undefined, requested: undefined, activate: true })).toMatchObject({ ruleSet: 'stackflow-inbound', activateNow: true, replaces: undefined, activeAfter: true, notes: [] });
  });

  test('a named set beside an active one: not activated, and the note says what activating would replace', () => {
    const placement = placeReceiptRule({ active: 'company-mail', requested: 'tickets', activate: false });
    expect(placement).toMatchObject({ ruleSet: 'tickets', activateNow: false, activeAfter: false });
    expect(placement.notes).toEqual([expect.stringMatching(/tickets is not active \(company-mail is\).*would replace company-mail/)]);
  });

  test('a named set activated on request replaces the active one, and says so', () => {
    const placement = placeReceiptRule({ active: 'company-mail', requested: 'tickets', activate: true });
    expect(placement).toMatchObject({ ruleSet: 'tickets', activateNow: true, replaces: 'company-mail', activeAfter: true });
    expect(placement.notes).toEqual([expect.stringContaining('the rules of company-mail no longer apply')]);
  });

  test('the named set that is already active is not activated again', () => {
    expect(placeReceiptRule({ active: 'tickets', requested: 'tickets', activate: true })).toMatchObject({ activateNow: false, activeAfter: true });
  });
});
