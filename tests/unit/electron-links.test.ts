import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl } from '../../electron/main/links';

describe('external link allowlist', () => {
  it('opens https links to allowlisted hosts and their subdomains', () => {
    expect(isAllowedExternalUrl('https://openlibrary.org/works/OL45883W')).toBe(true);
    expect(isAllowedExternalUrl('https://www.goodreads.com/book/show/1')).toBe(true);
    expect(isAllowedExternalUrl('https://github.com/')).toBe(true);
    expect(isAllowedExternalUrl('https://GitHub.com./x')).toBe(true);
  });

  it('refuses other schemes, hosts, look-alikes, credentials and ports', () => {
    for (const url of [
      'http://openlibrary.org/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://goodreads.com/share',
      'https://evil.example/',
      'https://goodreads.com.evil.example/',
      'https://notgithub.com/',
      'https://user:pass@github.com/',
      'https://github.com:8443/',
      'not a url',
      '',
    ])
      expect(isAllowedExternalUrl(url), url).toBe(false);
  });

  it('takes another allowlist', () => {
    expect(isAllowedExternalUrl('https://example.org/a', ['example.org'])).toBe(true);
    expect(isAllowedExternalUrl('https://github.com/', ['example.org'])).toBe(false);
  });
});
