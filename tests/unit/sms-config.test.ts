import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

describe('SMS configuration', () => {
  it('has no gateway by default: SMS are written to files in MAIL_DIR', () => {
    const config = loadConfig({});
    expect(config.smsGatewayUrl).toBeUndefined();
    expect(config.smsGatewayTimeoutMs).toBe(10_000);
  });

  it('reads the gateway, its login, password, sender name and timeout', () => {
    const config = loadConfig({ SMS_GATEWAY_URL: 'https://smsc.kz/sys/send.php', SMS_GATEWAY_LOGIN: 'zhas', SMS_GATEWAY_PASSWORD: 'secret', SMS_SENDER: 'Zhas', SMS_GATEWAY_TIMEOUT_MS: '5000' });
    expect(config).toMatchObject({ smsGatewayUrl: 'https://smsc.kz/sys/send.php', smsGatewayLogin: 'zhas', smsGatewayPassword: 'secret', smsSender: 'Zhas', smsGatewayTimeoutMs: 5000 });
  });

  it('refuses a gateway without its login and password, or an address that is not http(s)', () => {
    expect(() => loadConfig({ SMS_GATEWAY_URL: 'https://smsc.kz/sys/send.php' })).toThrow(/SMS_GATEWAY_LOGIN: is required when SMS_GATEWAY_URL is set[\s\S]*SMS_GATEWAY_PASSWORD: is required/);
    expect(() => loadConfig({ SMS_GATEWAY_URL: 'ftp://smsc.kz/send', SMS_GATEWAY_LOGIN: 'a', SMS_GATEWAY_PASSWORD: 'b' })).toThrow(/SMS_GATEWAY_URL: must be an http\(s\) URL/);
  });
});
