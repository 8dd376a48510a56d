import { describe, expect, it } from 'vitest';
import { coverContentType, coverRequestIsbn } from '../../electron/main/cover-scheme';
import { contentSecurityPolicy } from '../../electron/main/csp';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('content security policy', () => {
  it('allows only the app itself in a built app: no inline script, no eval, no network at all, no frames', () => {
    const policy = directives(contentSecurityPolicy());
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('frame-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    const all = [...policy.values()].flat();
    expect(all).not.toContain("'unsafe-eval'");
    expect(all).not.toContain("'unsafe-inline'");
    // Images only from the app, inline, or the cover cache's own scheme: an imported file's cover URL
    // (any host, https included) is never loaded (issue 14, finding 3).
    expect(policy.get('img-src')).toEqual(["'self'", 'data:', 'lumin-cover:']);
    const sources = [...policy].flatMap(([, sources]) => sources);
    expect(sources.some((source) => source.startsWith('http') || source === 'https:')).toBe(false);
  });

  it('admits the dev server and its websocket in dev only', () => {
    const policy = directives(contentSecurityPolicy('http://localhost:5173/'));
    expect(policy.get('script-src')).toContain('http://localhost:5173');
    expect(policy.get('connect-src')).toEqual(["'self'", 'http://localhost:5173', 'ws://localhost:5173']);
    expect(directives(contentSecurityPolicy('https://127.0.0.1:5173')).get('connect-src')).toContain(
      'wss://127.0.0.1:5173',
    );
  });
});

describe('cover scheme', () => {
  it('serves ISBN-13 covers only: no paths, no hosts, no other schemes', () => {
    expect(coverRequestIsbn('lumin-cover://isbn/9780142410318')).toBe('9780142410318');
    expect(coverRequestIsbn('lumin-cover://isbn/../../etc/passwd')).toBeNull();
    expect(coverRequestIsbn('lumin-cover://isbn/0142410314')).toBeNull();
    expect(coverRequestIsbn('lumin-cover://file/9780142410318')).toBeNull();
    expect(coverRequestIsbn('https://isbn/9780142410318')).toBeNull();
    expect(coverRequestIsbn('not a url')).toBeNull();
    expect(coverContentType('/data/covers/9780142410318.png')).toBe('image/png');
    expect(coverContentType('/data/covers/9780142410318.jpg')).toBe('image/jpeg');
  });
});
