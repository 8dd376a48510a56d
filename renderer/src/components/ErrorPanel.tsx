/**
 * Every failure the user should know about, in one place at the top of the page: a load that
 * returned `{ ok: false }` (the slice keeps showing its last good data below) or a failed action.
 */
import { useStore } from 'zustand';
import type { LuminErrorShape } from '../../../shared/contract/errors';
import type { AppStores } from '../stores';

interface Problem {
  key: string;
  what: string;
  error: LuminErrorShape;
}

/** The error panel; renders nothing while all is well. */
export function ErrorPanel({ stores }: { stores: AppStores }) {
  const statusError = useStore(stores.status, (state) => state.error);
  const readersError = useStore(stores.readers, (state) => state.error);
  const classesError = useStore(stores.classes, (state) => state.error);
  const failure = useStore(stores.actions, (state) => state.failure);
  const dismiss = useStore(stores.actions, (state) => state.dismiss);

  const problems: Problem[] = [];
  if (failure) problems.push({ key: 'action', what: `${failure.action} failed`, error: failure.error });
  if (statusError) problems.push({ key: 'status', what: 'Loading the status failed', error: statusError });
  if (readersError)
    problems.push({ key: 'readers', what: 'Loading the readers failed', error: readersError });
  if (classesError)
    problems.push({ key: 'classes', what: 'Loading the classes failed', error: classesError });

  return (
    <section className="error-panel" role="alert" aria-labelledby="error-heading" hidden={!problems.length}>
      <h2 id="error-heading">Something went wrong</h2>
      <ul>
        {problems.map((problem) => (
          <li key={problem.key}>
            <strong>{problem.what}:</strong> <span className="error-message">{problem.error.message}</span>{' '}
            <code className="error-code">{problem.error.code}</code>
          </li>
        ))}
      </ul>
      {failure && (
        <button type="button" className="secondary" onClick={dismiss}>
          Dismiss
        </button>
      )}
    </section>
  );
}
