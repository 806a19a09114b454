import { describe, expect, it } from 'vitest';
import { loggablePath } from '../../src/http/loggable-path.ts';

describe('loggablePath', () => {
  it('drops query strings and the secret tokens of links', () => {
    expect(loggablePath('/apply?_csrf=abc')).toBe('/apply');
    expect(loggablePath('/status/AbC_123-xyz/withdraw')).toBe('/status/:token/withdraw');
    expect(loggablePath('/account/set-password/secret-token?x=1')).toBe('/account/set-password/:token');
    expect(loggablePath('/STATUS/AbC_123-xyz')).toBe('/status/:token');
    expect(loggablePath('/committee/applications/12')).toBe('/committee/applications/12');
  });
});
