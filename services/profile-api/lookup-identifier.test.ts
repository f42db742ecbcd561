import { lookupIdentifier } from './lookup-identifier';

describe('lookupIdentifier', () => {
  it('normalizes like the collector: email lower-cased and trimmed, phone in E.164', () => {
    expect(lookupIdentifier('email', '  Ann.Lee@Example.COM ')).toEqual({
      ok: true,
      identifier: { type: 'email', value: 'ann.lee@example.com' },
    });
    expect(lookupIdentifier('phone', '+1 (415) 555-2671')).toEqual({
      ok: true,
      identifier: { type: 'phone', value: '+14155552671' },
    });
    expect(lookupIdentifier('phone', '030 901820', 'DE')).toEqual({
      ok: true,
      identifier: { type: 'phone', value: '+4930901820' },
    });
    expect(lookupIdentifier('crm_id', ' C-001 ')).toEqual({
      ok: true,
      identifier: { type: 'crm_id', value: 'C-001' },
    });
  });

  it('names the bad field and says why', () => {
    expect(lookupIdentifier('Email', 'a@b.io')).toMatchObject({ ok: false, issue: { path: 'type' } });
    expect(lookupIdentifier('email', 'not-an-address')).toEqual({
      ok: false,
      issue: { path: 'value', message: 'is not an email address' },
    });
    expect(lookupIdentifier('phone', '415 555 2671')).toMatchObject({
      ok: false,
      issue: { path: 'value', message: expect.stringContaining('E.164') },
    });
    expect(lookupIdentifier('user_id', '   ')).toMatchObject({ ok: false, issue: { path: 'value' } });
  });
});
