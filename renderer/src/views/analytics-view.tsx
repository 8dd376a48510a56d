/**
 * Analytics: how recommendations perform (click-through by source, coverage, diversity), how much
 * the class reads week by week, and whether the library's levels match the class's. A class and a
 * period selector scope every chart; each empty chart says what to do to fill it.
 */
import { useId } from 'react';
import { useStore } from 'zustand';
import { ANALYTICS_PERIODS, createAnalyticsStore } from '../stores/analytics';
import {
  activityRows,
  activityTotal,
  auditRows,
  ctrRows,
  impressionCount,
  qualityRows,
  thinBands,
} from './analytics/chart-data';
import { ActivityChart, AuditChart, CtrChart, QualityChart } from './analytics/charts';
import { useViewStore } from './use-view-store';
import './views.css';

/** An empty chart's place: what is missing and the next step. */
function EmptyChart(props: { title: string; children: React.ReactNode }) {
  return (
    <section className="chart-card chart-empty" aria-label={props.title}>
      <h3 className="chart-title">{props.title}</h3>
      <p>{props.children}</p>
    </section>
  );
}

/** The analytics view. */
export function AnalyticsView() {
  const store = useViewStore(createAnalyticsStore);
  const state = useStore(store);
  const classField = useId();
  const periodField = useId();

  const ctr = ctrRows(state.stats);
  const impressions = impressionCount(state.stats);
  const activity = activityRows(state.activity);
  const audit = auditRows(state.levels);
  const thin = thinBands(state.levels);
  const levels = state.levels;
  const auditNote = levels
    ? [
        'Share of the library’s books at each grade level against the share of readers whose level is centred there.',
        levels.booksWithoutLevel ? `${levels.booksWithoutLevel} books have no known level.` : '',
        levels.readersWithoutLevel
          ? `${levels.readersWithoutLevel} readers have no level, grade or age.`
          : '',
        thin.length ? `Few books for readers at: ${thin.join(', ')}.` : '',
      ]
        .filter(Boolean)
        .join(' ')
    : '';

  return (
    <section className="view analytics-view" aria-labelledby="analytics-heading" aria-busy={state.loading}>
      <header className="view-header">
        <h2 id="analytics-heading">Analytics</h2>
        <div className="view-controls">
          <label htmlFor={classField}>Class</label>
          <select
            id={classField}
            value={state.classId ?? ''}
            onChange={(event) => void state.setClass(event.target.value || null)}
          >
            <option value="">All readers</option>
            {state.classes.map((record) => (
              <option key={record.id} value={record.id}>
                {record.name}
              </option>
            ))}
          </select>
          <label htmlFor={periodField}>Period</label>
          <select
            id={periodField}
            value={state.periodDays}
            onChange={(event) => void state.setPeriod(Number(event.target.value))}
          >
            {ANALYTICS_PERIODS.map((period) => (
              <option key={period.days} value={period.days}>
                {period.label}
              </option>
            ))}
          </select>
        </div>
      </header>

      {state.error ? (
        <p className="view-error" role="alert">
          Some charts could not be loaded: {state.error.message}
        </p>
      ) : null}

      {state.stats ? (
        <dl className="metric-row" aria-label="Summary">
          <div className="metric">
            <dt>Readers</dt>
            <dd>{state.stats.readers}</dd>
          </div>
          <div className="metric">
            <dt>Books recommended</dt>
            <dd>{impressions}</dd>
          </div>
          <div className="metric">
            <dt>Coverage</dt>
            <dd>{(state.stats.coverage * 100).toFixed(1)}%</dd>
          </div>
          <div className="metric">
            <dt>Diversity</dt>
            <dd>{state.stats.diversity === null ? '—' : state.stats.diversity.toFixed(2)}</dd>
          </div>
          <div className="metric">
            <dt>Novelty</dt>
            <dd>{state.stats.novelty === null ? '—' : `${state.stats.novelty.toFixed(1)} bits`}</dd>
          </div>
        </dl>
      ) : null}

      {state.loading ? <p className="muted">Loading analytics…</p> : null}

      <div className="chart-grid">
        {state.loading ? null : impressions > 0 ? (
          <>
            <CtrChart rows={ctr} />
            <QualityChart rows={qualityRows(state.stats)} />
          </>
        ) : (
          <EmptyChart title="Click-through, coverage and diversity">
            No recommendations were shown in this period. Open a reader in{' '}
            <a href="#/readers">Classes and readers</a> to see their recommendations; their clicks, checkouts
            and thumbs appear here.
          </EmptyChart>
        )}

        {state.loading ? null : activityTotal(state.activity) > 0 ? (
          <ActivityChart rows={activity} />
        ) : (
          <EmptyChart title="Reading over time">
            No reading was logged in this period. <a href="#/import">Import</a> a Goodreads or StoryGraph
            export, or mark books as checked out or finished on a reader’s page.
          </EmptyChart>
        )}

        {state.loading ? null : audit.length > 0 ? (
          <AuditChart rows={audit} note={auditNote} />
        ) : (
          <EmptyChart title="Library audit">
            No book or reader has a reading level yet. <a href="#/import">Import</a> your catalogue, then give
            your readers a grade or a reading level in <a href="#/readers">Classes and readers</a>.
          </EmptyChart>
        )}
      </div>
    </section>
  );
}
