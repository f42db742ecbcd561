import { createPageCursors } from './page-cursor';

describe('createPageCursors', () => {
  const cursors = createPageCursors('rk_0123456789abcdef');

  it('gives back the store cursor it sealed, for the same scope', () => {
    // Prepare
    const sealed = cursors.seal('events:prof_1', 'EVENT#2024-05-01T10:00:00.000Z#e-1');
    // Act
    const opened = cursors.open('events:prof_1', sealed);
    // Assess
    expect(opened).toEqual({ ok: true, value: 'EVENT#2024-05-01T10:00:00.000Z#e-1' });
    expect(sealed).not.toContain('EVENT#');
  });

  it('refuses cursors it did not make, of another scope, or altered', () => {
    const sealed = cursors.seal('events:prof_1', '42');
    expect(cursors.open('events:prof_2', sealed)).toEqual({ ok: false });
    expect(cursors.open('events:prof_1', `${sealed}x`)).toEqual({ ok: false });
    expect(cursors.open('events:prof_1', `NDM${sealed.slice(3)}`)).toEqual({ ok: false });
    expect(cursors.open('events:prof_1', 'garbage')).toEqual({ ok: false });
    expect(cursors.open('events:prof_1', '.')).toEqual({ ok: false });
    expect(createPageCursors('another key').open('events:prof_1', sealed)).toEqual({ ok: false });
  });

  it('keeps cursors valid for another instance with the same secret (a restart)', () => {
    const sealed = cursors.seal('members:vip', 'prof_9');
    expect(createPageCursors('rk_0123456789abcdef').open('members:vip', sealed)).toEqual({
      ok: true,
      value: 'prof_9',
    });
  });
});
