/** An empty state that says what to do next. */
import type { ReactNode } from 'react';

/** A titled empty state with a next step (a sentence and, usually, a button). */
export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty-state">
      <h3>{title}</h3>
      {children}
    </div>
  );
}
