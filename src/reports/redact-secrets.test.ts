import { describe, expect, it } from 'vitest';
import { redactAndTruncate, redactSecrets } from './redact-secrets.js';

describe('redactSecrets', () => {
  it.each([
    ['mail jane.doe+tag@example.co.uk now', 'mail [redacted email] now'],
    ['call +1 (415) 555-0199 or 020 7946 0958', 'call [redacted phone] or [redacted phone]'],
    ['key sk-ant-api03-AbCdEfGhIjKlMnOpQrSt_uv', 'key [redacted key]'],
    ['key sk-proj-abcdefghijklmnop1234', 'key [redacted key]'],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc.def', 'Authorization: Bearer [redacted key]'],
    ['sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 end', 'sha [redacted token] end'],
    ['tok QWxhZGRpbjpvcGVuIHNlc2FtZQ9x8Yz7QWxhZGRpbjpvcGVu== end', 'tok [redacted token] end'],
    // AWS's documented example credentials
    ['id AKIAIOSFODNN7EXAMPLE in use', 'id [redacted key] in use'],
    ['temporary ASIAY34FZKBOKMUTVV7A here', 'temporary [redacted key] here'],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key = [redacted key]'],
    ['{"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}', '{"SecretAccessKey": "[redacted key]"}'],
    // Google API key (the format of the Maps documentation's example)
    ['key=AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe&q=x', 'key=[redacted key]&q=x'],
    // Azure: Azurite's published development account key, and a SAS URL
    [
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=x',
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=[redacted key];BlobEndpoint=x',
    ],
    [
      'https://a.blob.core.windows.net/c/f.txt?sv=2021-06-08&se=2026-12-01&sr=b&sp=r&sig=Zm9vYmFyYmF6cXV4%2B12345%3D ok',
      'https://a.blob.core.windows.net/c/f.txt?sv=2021-06-08&se=2026-12-01&sr=b&sp=r&sig=[redacted key] ok',
    ],
    [
      'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AB=',
      'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=[redacted key]',
    ],
    // Slack (the format of Slack's documentation examples)
    ['token xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy ok', 'token [redacted key] ok'],
    ['xoxp-2349823498-23498234-234987234 user', '[redacted key] user'],
    // GitHub classic and fine-grained tokens
    ['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', '[redacted key]'],
    [
      'gho_16C7e42F292c6912E7710c838347Ae178B4a and ghs_16C7e42F292c6912E7710c838347Ae178B4a',
      '[redacted key] and [redacted key]',
    ],
    [
      'github_pat_11ABCDEFG0123456789abc_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456 end',
      '[redacted key] end',
    ],
    // JWT (jwt.io's example), bare
    [
      'cookie eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c;',
      'cookie [redacted token];',
    ],
    // Password and secret assignments
    ['db password=hunter2 then', 'db password=[redacted secret] then'],
    ['Server=x;Uid=sa;Pwd=Tr0ub4dor&3;', 'Server=x;Uid=sa;Pwd=[redacted secret]&3;'],
    ['PASSWORD: "correct horse battery"', 'PASSWORD: [redacted secret]'],
    ['secret=s3cr3t-value client_secret = abc123', 'secret=[redacted secret] client_secret = [redacted secret]'],
    ['{"password":"p@ss","api_key":"k1"}', '{"password":[redacted secret],"api_key":[redacted secret]}'],
    // IBANs (ISO 13616 examples), compact and grouped
    ['pay to DE89370400440532013000 today', 'pay to [redacted iban] today'],
    ['IBAN GB82 WEST 1234 5698 7654 32 AND more', 'IBAN [redacted iban] AND more'],
    ['FR1420041010050500013M02606.', '[redacted iban].'],
    // Card numbers (networks' published test numbers), compact, spaced and dashed
    ['card 4111 1111 1111 1111 exp', 'card [redacted card] exp'],
    ['card 5555555555554444.', 'card [redacted card].'],
    ['amex 3782-822463-10005', 'amex [redacted card]'],
    ['stripe 4242-4242-4242-4242', 'stripe [redacted card]'],
  ])('redacts %j', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it.each([
    'order 1234 shipped on 2026-11-25 at 10:00',
    'the answer is 42, not 3.14159',
    'a_long_identifier_made_only_of_words_and_underscores_here',
    'version 2.9.1 of package yaml',
    // numbers that are not cards: Luhn fails, no card-network prefix, or the wrong length
    'invoice 4111 1111 1111 1112 is due',
    'ledger id 5555555555554445 closed',
    'timestamp 1732953600000000 us',
    'id 7992739871300000000 ok',
    '4111111111111111111111 is 22 digits',
    'total 1,234,567,890,123.45 EUR',
    'pi is 3.14159265358979323',
    // IBAN-shaped strings whose mod-97 check fails
    'code DE89370400440532013001 invalid',
    'ref GB82WEST12345698765433 (check digits wrong)',
    // passes mod 97 but no country has IBANs of that shape (US has none; DE is 22 characters)
    'part US64SVBKUS6S3300958879 and DE8937040044053201300',
    // prose about secrets
    'the secret: patience, and the password is long',
    'AKIA is how AWS key ids start',
  ])('leaves ordinary text alone: %j', (text) => {
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('redactAndTruncate', () => {
  it('redacts before cutting, so a key at the cut is never half-shown', () => {
    const text = `${'x'.repeat(490)} sk-ant-api03-${'A'.repeat(40)}`;
    const out = redactAndTruncate(text, 500);
    expect(out).not.toContain('sk-ant');
    expect(out).not.toContain('AAAA');
    expect(out).toContain(' [redacted');
  });

  it('cuts to the limit in characters (not UTF-16 units) and says how long the original was', () => {
    const out = redactAndTruncate('é'.repeat(10) + '😀'.repeat(600), 500);
    expect(Array.from(out.split('…')[0])).toHaveLength(500);
    expect(out).toMatch(/… \[truncated, 610 characters\]$/);
  });
});
