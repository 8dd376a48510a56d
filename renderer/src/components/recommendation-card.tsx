/**
 * One recommendation: cover, title, authors, the explanation, where it came from (source badge), an
 * exploratory badge, the reader's buttons (thumbs up and down, dismiss, checked out, finished), the
 * teacher's (pin, block) and a "why" panel with the details behind the pick.
 */
import type { RecommendedItem } from '../../../shared/contract/recommend';
import type { FeedbackKind, ReadingEvent } from '../stores/reader-page';
import { Cover } from './cover';

/** Plain words for the candidate sources. */
export const PROPOSED_BY: Record<RecommendedItem['proposedBy'], string> = {
  content: 'Similar to what they like',
  collaborative: 'Readers like them enjoyed it',
  similar: 'Close to a recent favourite',
  popular: 'Popular here',
  batch: 'Nightly pick',
  pinned: 'Pinned by a teacher',
};

const MARK_LABELS: Record<FeedbackKind | ReadingEvent, string> = {
  up: 'You liked this',
  down: 'Not for them',
  dismiss: 'Dismissed',
  pin: 'Pinned',
  block: 'Blocked',
  checkout: 'Checked out',
  finish: 'Finished',
};

/** A thumb drawn inline (emoji fonts are not on every system, and the app loads no icon font). */
function ThumbIcon({ down = false }: { down?: boolean }) {
  return (
    <svg
      className="thumb-icon"
      viewBox="0 0 24 24"
      width="16"
      height="16"
      aria-hidden="true"
      focusable="false"
      style={down ? { transform: 'rotate(180deg)' } : undefined}
    >
      <path
        fill="currentColor"
        d="M2 10h4v11H2zM8 21V10l5-8 1.2.9c.5.4.7 1 .6 1.6L14 9h6.5c1.1 0 2 .9 2 2v1.5l-2.9 7.3c-.3.7-1 1.2-1.8 1.2z"
      />
    </svg>
  );
}

/** A recommendation card. */
export function RecommendationCard({
  item,
  mark,
  teacher,
  onFeedback,
  onRecord,
}: {
  item: RecommendedItem;
  mark: FeedbackKind | ReadingEvent | undefined;
  /** Shows pin and block (students; not in reader mode). */
  teacher: boolean;
  onFeedback: (kind: FeedbackKind) => void;
  onRecord: (type: ReadingEvent) => void;
}) {
  const headingId = `rec-${item.bookId}`;
  return (
    <li className="rec-card" aria-labelledby={headingId} data-book-id={item.bookId}>
      <Cover title={item.title} size="medium" />
      <div className="rec-body">
        <h3 id={headingId} className="rec-title">
          {item.title}
        </h3>
        <p className="rec-authors">{item.authors.join(', ') || 'Unknown author'}</p>
        <p className="badges">
          <span className="badge source-badge" data-source={item.proposedBy}>
            {PROPOSED_BY[item.proposedBy]}
          </span>
          {item.exploratory && <span className="badge explore-badge">Something new</span>}
          {(item.pinned || mark === 'pin') && <span className="badge pin-badge">Pinned</span>}
          {mark && mark !== 'pin' && <span className="badge subtle mark-badge">{MARK_LABELS[mark]}</span>}
        </p>
        <p className="rec-explanation">{item.explanation}</p>
        <details className="why">
          <summary>Why this book?</summary>
          <dl>
            <dt>Reason</dt>
            <dd>{item.explanation}</dd>
            <dt>Proposed by</dt>
            <dd>{PROPOSED_BY[item.proposedBy]}</dd>
            <dt>Served from</dt>
            <dd>{item.source}</dd>
            <dt>Rank</dt>
            <dd>
              {item.position + 1} (score {item.score.toFixed(3)})
            </dd>
            <dt>Exploration</dt>
            <dd>{item.exploratory ? 'Picked to explore something new' : 'Picked by score'}</dd>
          </dl>
        </details>
        <div className="rec-actions" role="group" aria-label={`Feedback on ${item.title}`}>
          <button
            type="button"
            className="icon-button"
            aria-pressed={mark === 'up'}
            onClick={() => onFeedback('up')}
            aria-label={`Thumbs up: ${item.title}`}
          >
            <ThumbIcon /> <span className="action-label">Like</span>
          </button>
          <button
            type="button"
            className="icon-button"
            onClick={() => onFeedback('down')}
            aria-label={`Thumbs down: ${item.title}`}
          >
            <ThumbIcon down /> <span className="action-label">Not for me</span>
          </button>
          <button type="button" className="secondary" onClick={() => onFeedback('dismiss')}>
            Dismiss
          </button>
          <button
            type="button"
            className="secondary"
            aria-pressed={mark === 'checkout'}
            onClick={() => onRecord('checkout')}
          >
            Checked out
          </button>
          <button
            type="button"
            className="secondary"
            aria-pressed={mark === 'finish'}
            onClick={() => onRecord('finish')}
          >
            Finished
          </button>
          {teacher && (
            <>
              <button
                type="button"
                className="secondary"
                aria-pressed={item.pinned || mark === 'pin'}
                onClick={() => onFeedback('pin')}
              >
                Pin
              </button>
              <button type="button" className="secondary danger" onClick={() => onFeedback('block')}>
                Block
              </button>
            </>
          )}
        </div>
      </div>
    </li>
  );
}
