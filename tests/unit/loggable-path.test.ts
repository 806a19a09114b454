import { describe, expect, it } from 'vitest';
import { loggablePath } from '../../src/http/loggable-path.ts';

describe('loggablePath', () => {
  it('drops query strings and the secret tokens of links', () => {
    expect(loggablePath('/apply?_csrf=abc')).toBe('/apply');
    expect(loggablePath('/status/AbC_123-xyz/withdraw')).toBe('/status/:token/withdraw');
    expect(loggablePath('/account/set-password/secret-token?x=1')).toBe('/account/set-password/:token');
    expect(loggablePath('/STATUS/AbC_123-xyz')).toBe('/status/:token');
    expect(loggablePath('/committee/applications/12')).toBe('/committee/applications/12');
    expect(loggablePath('/apply/continue/AbC_123-xyz?lang=kk')).toBe('/apply/continue/:token');
  });

  it('keeps the names of the status pages that carry no token', () => {
    expect(loggablePath('/status/lost-link')).toBe('/status/lost-link');
    expect(loggablePath('/status/lost-link/sent')).toBe('/status/lost-link/sent');
    expect(loggablePath('/status/withdrawn')).toBe('/status/withdrawn');
    expect(loggablePath('/status/lost-link-AbC_123/withdraw')).toBe('/status/:token/withdraw');
  });
});

describe('loggableError', () => {
  it('keeps the type, code and stack frames, but not the message of a Prisma error (it quotes query arguments)', async () => {
    const { loggableError } = await import('../../src/http/error-handlers.ts');
    const prismaError = Object.assign(new Error('Invalid `prisma.application.create()` invocation: { iin: "900101300017", email: "a@b.kz" }'), { name: 'PrismaClientValidationError' });
    const logged = loggableError(prismaError);
    expect(JSON.stringify(logged)).not.toContain('900101300017');
    expect(logged).toMatchObject({ type: 'PrismaClientValidationError' });
    expect(String(logged.stack)).toContain('at ');
    expect(loggableError(new TypeError('x is not a function'))).toMatchObject({ type: 'TypeError', message: 'x is not a function' });
  });
});
