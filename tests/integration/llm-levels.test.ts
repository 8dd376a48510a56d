/**
 * Enrichment by LLM through a local OpenAI-compatible chat server: books with no level and too little
 * text get an estimated grade, asked once each, from prompts that carry the catalogue record only.
 */
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { levelPrompt, parseGrade } from '../../workers/host/llm-levels';
import { chatCompletion } from '../support/capture-server';
import type { Core } from '../../workers/host/core';
import { cleanupDirs, open, value } from '../support/core';

afterAll(cleanupDirs);

/** A chat server that answers `{"grade": …}` by title, and records every prompt. */
function chatServer(grades: Record<string, number | null | 'fail'>) {
  const prompts: string[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const parsed = JSON.parse(body) as { messages: { content: string }[] };
      const prompt = parsed.messages.map((message) => message.content).join('\n');
      prompts.push(prompt);
      const title = Object.keys(grades).find((name) => prompt.includes(`Book: ${name}`));
      const grade = title === undefined ? null : grades[title];
      if (grade === 'fail') {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: 'down for a moment' } }));
        return;
      }
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(chatCompletion(`Sure: {"grade": ${JSON.stringify(grade)}}`)));
    });
  });
  return { server, prompts };
}

describe('reading levels estimated by an LLM', () => {
  let core: Core;
  const grades: Record<string, number | null | 'fail'> = {
    'The Short Record': 3.4,
    'Nobody Knows This One': null,
    'Flaky Answer': 'fail',
  };
  const { server, prompts } = chatServer(grades);

  beforeAll(async () => {
    core = await open();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    value(await core.api.settings.set({ key: 'explanations.llm.baseUrl', value: url }));
    value(await core.api.settings.set({ key: 'explanations.llm.model', value: 'local-test' }));
  });
  afterAll(async () => {
    server.close();
    await core.close();
  });

  it('does nothing while LLM features are off', async () => {
    value(
      await core.api.books.add({ title: 'The Short Record', authors: ['A. Writer'], subjects: ['Animals'] }),
    );
    expect(await core.estimateLevels()).toEqual({ asked: 0, estimated: 0 });
    expect(prompts).toHaveLength(0);
  });

  it('estimates a grade for books without a level or text, once each, with no reader data in the prompt', async () => {
    value(await core.api.settings.set({ key: 'explanations.llm.enabled', value: true }));
    value(await core.api.readers.add({ name: 'Quintessa Marlowe', grade: 3, age: 8, notes: 'Private note' }));
    const unknown = value(await core.api.books.add({ title: 'Nobody Knows This One' }));
    const flaky = value(await core.api.books.add({ title: 'Flaky Answer' }));
    const levelled = value(
      await core.api.books.add({
        title: 'Already Levelled',
        readingLevel: { value: '640L', system: 'lexile' },
      }),
    );
    const first = await core.estimateLevels();
    expect(first).toEqual({ asked: 2, estimated: 1 });
    const books = value(await core.api.books.list({ limit: 50 })).items;
    const short = books.find((book) => book.title === 'The Short Record');
    expect(short?.readingLevel).toEqual({ value: '3', system: 'grade', source: 'estimated' });
    expect(books.find((book) => book.id === unknown.id)?.readingLevel).toBeNull();
    expect(books.find((book) => book.id === flaky.id)?.readingLevel).toBeNull();
    expect(books.find((book) => book.id === levelled.id)?.readingLevel?.source).toBe('known');
    for (const prompt of prompts) expect(prompt).not.toMatch(/Quintessa|Marlowe|Private note/);
    expect(prompts.some((prompt) => prompt.includes('Book: Already Levelled'))).toBe(false);

    // Answered books are never asked again; the failed one is, and succeeds once the server does.
    grades['Flaky Answer'] = 5;
    const asked = prompts.length;
    expect(await core.estimateLevels()).toEqual({ asked: 1, estimated: 1 });
    expect(prompts.slice(asked).every((prompt) => prompt.includes('Book: Flaky Answer'))).toBe(true);
    expect(await core.estimateLevels()).toEqual({ asked: 0, estimated: 0 });
  });

  it('reads only a grade in range from an answer', () => {
    expect(parseGrade('{"grade": 4.26}')).toBe(4.3);
    expect(parseGrade('The grade is {"grade": null}')).toBeNull();
    expect(parseGrade('{"grade": 42}')).toBeNull();
    expect(parseGrade('grade four')).toBeNull();
    expect(levelPrompt({ title: 'X', authors: ['Y'], subjects: ['Z'] })).toMatch(
      /Book: X by Y\.\nSubjects: Z\./,
    );
  });
});
