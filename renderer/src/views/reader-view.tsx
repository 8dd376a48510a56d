/** A reader's page: their recommendations (with feedback), their history and who they are. */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { InteractionType } from '../../../shared/contract/domain';
import { EmptyState } from '../components/empty-state';
import { ErrorMessage } from '../components/error-message';
import { DeleteReaderDialog } from '../components/delete-reader-dialog';
import { RecommendationCard } from '../components/recommendation-card';
import { RouteLink } from '../components/route-link';
import { SaveToFileButton } from '../components/save-to-file';
import { formatCount, formatDateTime, formatGrade, formatLevel } from '../format';
import type { AppStores } from '../stores';
import { desktop } from './use-view-store';
import { downloadReaderExport } from './settings/data-section';

const EVENT_LABELS: Record<InteractionType, string> = {
  view: 'Viewed',
  click: 'Opened',
  checkout: 'Checked out',
  return: 'Returned',
  finish: 'Finished',
  rating: 'Rated',
  thumbs_up: 'Thumbs up',
  thumbs_down: 'Thumbs down',
  want: 'Wants to read',
  dismiss: 'Dismissed',
  pin: 'Pinned',
  block: 'Blocked',
};

/** The reader page. */
export function ReaderView({ stores, readerId }: { stores: AppStores; readerId: string }) {
  const page = stores.readerPage;
  const reader = useStore(page, (state) => state.reader);
  const readerError = useStore(page, (state) => state.readerError);
  const recommendations = useStore(page, (state) => state.recommendations);
  const loading = useStore(page, (state) => state.recommendationsLoading);
  const recommendationsError = useStore(page, (state) => state.recommendationsError);
  const history = useStore(page, (state) => state.history);
  const historyError = useStore(page, (state) => state.historyError);
  const marks = useStore(page, (state) => state.marks);
  const notice = useStore(page, (state) => state.notice);
  const actionError = useStore(page, (state) => state.actionError);
  const go = useStore(stores.nav, (state) => state.go);
  const [confirmingDelete, setConfirmingDelete] = useState(false);

  useEffect(() => {
    void page.getState().open(readerId);
  }, [page, readerId]);

  const state = page.getState();
  const teacher = reader?.kind !== 'self';
  return (
    <section aria-labelledby="reader-heading" className="screen">
      <header className="screen-header">
        <div>
          <p className="breadcrumb">
            <a
              href="#/readers"
              onClick={(event) => {
                event.preventDefault();
                go({ view: 'readers' });
              }}
            >
              Classes &amp; readers
            </a>
          </p>
          <h2 id="reader-heading">{reader ? reader.name : readerError ? 'Reader not found' : 'Reader'}</h2>
          {reader && (
            <p className="muted reader-facts">
              {reader.kind === 'self' ? 'Reader mode (you)' : `Grade ${formatGrade(reader.grade)}`}
              {reader.age !== null && ` · age ${reader.age}`}
              {reader.readingLevel && ` · ${formatLevel(reader.readingLevel)}`}
              {reader.interests.length > 0 && ` · likes ${reader.interests.join(', ')}`}
            </p>
          )}
        </div>
        <div className="button-row header-actions">
          <button
            type="button"
            className="secondary"
            onClick={() => void state.refreshRecommendations(true)}
            disabled={!reader}
          >
            New suggestions
          </button>
          {reader && (
            <SaveToFileButton
              desktop={desktop()}
              kind="goodreads-export"
              label="Export shelves (CSV)…"
              what="The shelves could not be exported"
              write={(target) =>
                window.lumin.imports.export({ readerId: reader.id, format: 'goodreads', target })
              }
              saved={(result) => `Exported ${formatCount(result.books)} books.`}
            />
          )}
          <button
            type="button"
            className="secondary"
            onClick={() =>
              void state.exportData().then((data) => {
                if (data) downloadReaderExport(data);
              })
            }
            disabled={!reader}
          >
            Export data
          </button>
          {teacher && (
            <button
              type="button"
              className="danger"
              onClick={() => setConfirmingDelete(true)}
              disabled={!reader}
            >
              Delete student…
            </button>
          )}
        </div>
      </header>
      <DeleteReaderDialog
        name={reader?.name ?? null}
        open={confirmingDelete}
        onCancel={() => setConfirmingDelete(false)}
        onConfirm={() => {
          setConfirmingDelete(false);
          void state.deleteReader().then((deleted) => {
            if (deleted) go({ view: 'readers' });
          });
        }}
      />
      {readerError && <ErrorMessage what="This reader could not be loaded" error={readerError} />}
      {actionError && <ErrorMessage what="That did not work" error={actionError} />}
      <p className="visually-hidden" aria-live="polite">
        {notice ?? ''}
      </p>

      <div className="reader-layout">
        <section aria-labelledby="recs-heading" aria-busy={loading}>
          <h3 id="recs-heading" className="section-title">
            Recommended for {reader?.kind === 'self' ? 'you' : (reader?.name ?? 'this reader')}
          </h3>
          {recommendationsError && (
            <ErrorMessage what="Recommendations could not be loaded" error={recommendationsError} />
          )}
          {!recommendations && loading && <p className="muted">Finding books…</p>}
          {recommendations && recommendations.items.length === 0 && (
            <EmptyState title="No books to suggest yet">
              <p>
                Lumin needs books in the library to recommend.{' '}
                <a
                  href="#/import"
                  onClick={(event) => {
                    event.preventDefault();
                    go({ view: 'import' });
                  }}
                >
                  Import a catalogue
                </a>{' '}
                or a reading history, then come back.
              </p>
            </EmptyState>
          )}
          {recommendations && recommendations.items.length > 0 && (
            <ol
              className="rec-list"
              aria-label="Recommendations"
              data-request-id={recommendations.requestId}
              data-source={recommendations.source}
            >
              {recommendations.items.map((item) => (
                <RecommendationCard
                  key={item.bookId}
                  item={item}
                  mark={marks[item.bookId]}
                  teacher={teacher}
                  onFeedback={(kind) => void state.feedback(item, kind)}
                  onRecord={(type) => void state.record(item, type)}
                />
              ))}
            </ol>
          )}
        </section>

        <aside aria-labelledby="history-heading" className="card history">
          <h3 id="history-heading">Reading history</h3>
          {historyError && <ErrorMessage what="The history could not be loaded" error={historyError} />}
          {history === null && !historyError && <p className="muted">Loading…</p>}
          {history?.length === 0 && (
            <p className="muted">
              Nothing yet. Thumbs, checkouts and finishes show here; importing a Goodreads export fills it in.
            </p>
          )}
          {history && history.length > 0 && (
            <ul className="history-list">
              {history.map(({ interaction, title }) => (
                <li key={interaction.id}>
                  <span className="history-event">
                    {EVENT_LABELS[interaction.type]}
                    {interaction.type === 'rating' && interaction.value !== null && ` ${interaction.value}★`}
                  </span>{' '}
                  <RouteLink route={{ view: 'book', bookId: interaction.bookId }} onOpen={go}>
                    {title ?? 'A removed book'}
                  </RouteLink>
                  <time className="muted history-time" dateTime={interaction.occurredAt}>
                    {formatDateTime(interaction.occurredAt)}
                  </time>
                </li>
              ))}
            </ul>
          )}
        </aside>
      </div>
    </section>
  );
}
