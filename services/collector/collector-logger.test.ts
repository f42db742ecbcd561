import { Writable } from 'node:stream';
import { createCollectorLogger } from './collector-logger';

describe('collector logger', () => {
  it('redacts emails, phones, traits, identities and write keys wherever they are logged', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const log = createCollectorLogger('info', sink);
    log.info({
      email: 'a@b.co',
      phone: '+14155552671',
      writeKey: 'wk-secret',
      event: {
        traits: { email: 'c@d.co' },
        identity: { email: 'e@f.co' },
        context: { traits: { phone: '+1' } },
      },
      req: { headers: { authorization: 'Basic d2stc2VjcmV0Og==', 'x-write-key': 'wk-secret' } },
    });
    const out = lines.join('');
    for (const secret of ['a@b.co', '+14155552671', 'wk-secret', 'c@d.co', 'e@f.co', 'd2stc2VjcmV0Og==']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[redacted]');
  });
});
