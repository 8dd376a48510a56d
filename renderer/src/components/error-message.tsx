/** A failure from the core as a readable sentence, with its code for support. */
import type { LuminErrorShape } from '../../../shared/contract/errors';

/** Makes the core's message a sentence: capital first letter, final full stop. */
export function sentence(message: string): string {
  const trimmed = message.trim();
  if (!trimmed) return 'Something went wrong.';
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

/** An inline error block (role alert, so it is announced). */
export function ErrorMessage({ what, error }: { what: string; error: LuminErrorShape }) {
  return (
    <div className="inline-error" role="alert">
      <strong>{what}.</strong> <span className="error-message">{sentence(error.message)}</span>{' '}
      <code className="error-code">{error.code}</code>
    </div>
  );
}
