import { describe, expect, it } from 'vitest';
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
  it('allows only the app itself in a built app: no inline script, no eval, no network but cover images, no frames', () => {
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
    // Only images may come from the network (https book covers); nothing else names a remote source.
    expect(policy.get('img-src')).toEqual(["'self'", 'data:', 'https:']);
    const others = [...policy].filter(([name]) => name !== 'img-src').flatMap(([, sources]) => sources);
    expect(others.some((source) => source.startsWith('http'))).toBe(false);
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
