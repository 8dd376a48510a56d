/**
 * The `openai` SDK's client, built only here and always over the egress fetch: chat and embeddings
 * reach their endpoints through it, with the key set by the egress module for its own origin.
 */
import type OpenAI from 'openai';
import type { EgressKind } from '../../shared/egress/destinations';
import { type Credential, egressFetch } from './fetch';

/** How to reach an OpenAI-compatible endpoint. */
export interface OpenAiClientOptions {
  kind: Extract<EgressKind, 'chat' | 'embeddings'>;
  baseUrl: string;
  credential: Credential | null;
  timeoutMs: number;
  maxRetries: number;
  enabled?: () => boolean | Promise<boolean>;
}

/**
 * A client whose every request leaves through {@link egressFetch}. The SDK loads on first use: a
 * command that never talks to an endpoint (most of them) does not pay its ~130 ms import.
 */
export async function openAiClient(options: OpenAiClientOptions): Promise<OpenAI> {
  const { default: OpenAI } = await import('openai');
  return new OpenAI({
    // The SDK insists on a key; the egress fetch replaces the header (or drops it for other origins).
    apiKey: 'set-by-egress',
    baseURL: options.baseUrl,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    // Explicit nulls: otherwise the SDK picks up OPENAI_ORG_ID / OPENAI_PROJECT_ID / OPENAI_ADMIN_KEY
    // from the environment and would send them to whatever endpoint this is.
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    // OPENAI_LOG=debug would otherwise print request details; this module never logs.
    logLevel: 'off',
    logger: { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} },
    fetch: egressFetch({
      kind: options.kind,
      credential: options.credential,
      ...(options.enabled ? { enabled: options.enabled } : {}),
    }),
  });
}
