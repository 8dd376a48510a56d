/** The egress table, the chat destination's prompt rules and the catalogue side of an explanation. */
import { describe, expect, it } from 'vitest';
import { SETTING_DEFAULTS } from '../../shared/contract/setting-defaults';
import { DESTINATIONS, privacyRows } from '../../shared/egress/destinations';
import { matchingTopics } from '../../shared/recommend/explain';
import { chatText } from '../../workers/egress/chat';
import { EgressRefused, assertCarries, destinationProblem, isLoopback } from '../../workers/egress/fetch';

describe('egress table', () => {
  it('lets no kind carry a reader profile, and says so on every row', () => {
    for (const row of DESTINATIONS) {
      expect(row.carries).not.toContain('reader-profile');
      expect(row.never).toMatch(/name/);
    }
    expect(() => assertCarries('embeddings', ['catalogue-book', 'catalogue-tag'])).not.toThrow();
    expect(() => assertCarries('embeddings', ['reader-profile'])).toThrow(EgressRefused);
    expect(() => assertCarries('covers', ['catalogue-book'])).toThrow(/may not carry catalogue-book/);
  });

  it('turns rows on from the settings, with their destinations', () => {
    const off = privacyRows({
      settings: { ...SETTING_DEFAULTS, 'embeddings.autoUpgrade': false },
      syncServer: null,
    });
    expect(off.every((row) => !row.on)).toBe(true);
    const on = privacyRows({
      settings: {
        ...SETTING_DEFAULTS,
        'embeddings.model': 'openai:text-embedding-3-small',
        'embeddings.openai.baseUrl': 'http://localhost:11434/v1',
        'sync.enabled': true,
      },
      syncServer: 'https://sync.school.example/',
    });
    expect(on.find((row) => row.kind === 'embeddings')).toMatchObject({
      on: true,
      to: 'http://localhost:11434',
    });
    expect(on.find((row) => row.kind === 'sync')).toMatchObject({
      on: true,
      to: 'https://sync.school.example',
    });
    const folder = privacyRows({
      settings: {
        ...SETTING_DEFAULTS,
        'embeddings.autoUpgrade': false,
        'embeddings.model': 'folder:/models/x',
      },
      syncServer: null,
    });
    expect(folder.find((row) => row.kind === 'models')?.on).toBe(false);
  });

  it('allows http:// for this computer only', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('[::1]')).toBe(true);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('127.example.com')).toBe(false);
    expect(destinationProblem('http://localhost:11434/v1')).toBeNull();
    expect(destinationProblem('https://api.openai.com/v1')).toBeNull();
    expect(destinationProblem('http://192.168.1.5/v1')).toMatch(/http:\/\/ is allowed only/);
    expect(destinationProblem('file:///etc/passwd')).toMatch(/cannot be reached/);
  });
});

describe('chat prompts', () => {
  const book = { title: 'Ember Wings', authors: ['A. Writer'], subjects: ['Dragons', 'Fantasy'] };

  it('name the book and only its own matched subjects', () => {
    const text = chatText({ task: 'explain', book, matched: ['Dragons'] });
    expect(text).toContain('Book: Ember Wings by A. Writer.');
    expect(text).toContain('It is about: Dragons.');
    // Anything that is not one of the book's own subjects is refused: that is where an interest would get in.
    expect(() => chatText({ task: 'explain', book, matched: ['zanzibar submarines'] })).toThrow(
      EgressRefused,
    );
  });

  it('take the matched subjects from the catalogue, not the interests as typed', () => {
    expect(
      matchingTopics({ subjects: ['Dragons -- Juvenile fiction', 'Fantasy'] }, ['dragon', 'pirates']),
    ).toEqual(['Dragons -- Juvenile fiction']);
    expect(matchingTopics({ subjects: ['Fantasy'], tags: ['space'] }, ['Space travel'])).toEqual([]);
  });
});
