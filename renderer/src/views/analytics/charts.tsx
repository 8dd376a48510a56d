/**
 * The analytics charts (recharts). Each chart is a <figure> with a caption and a visually hidden
 * table of the same numbers, so screen-reader and keyboard users get the data the bars draw.
 */
import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ActivityRow, AuditRow, CtrRow, QualityRow } from './chart-data';

const HEIGHT = 240;
const AXIS = { fill: 'var(--muted)', fontSize: 12 };
const TOOLTIP = {
  contentStyle: { background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)' },
  cursor: { fill: 'var(--accent-soft)' },
};
const percent = (value: unknown) => `${String(value)}%`;
/** Series names in the page's text colour (recharts colours them like their bars), in drawing order. */
const LEGEND = {
  itemSorter: null,
  formatter: (value: unknown) => <span className="chart-legend-text">{String(value)}</span>,
} as const;

/** A chart's frame: title, the chart, and the numbers as a table for assistive technology. */
function ChartFigure(props: {
  id: string;
  title: string;
  note?: string;
  table: { head: string[]; rows: (string | number)[][] };
  children: ReactNode;
}) {
  return (
    <figure className="chart-card" aria-labelledby={`${props.id}-title`} data-chart={props.id}>
      <figcaption id={`${props.id}-title`} className="chart-title">
        {props.title}
      </figcaption>
      {props.note ? <p className="chart-note">{props.note}</p> : null}
      <div className="chart-area" aria-hidden="true">
        {props.children}
      </div>
      <table className="visually-hidden">
        <caption>{props.title}</caption>
        <thead>
          <tr>
            {props.table.head.map((cell) => (
              <th key={cell} scope="col">
                {cell}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.table.rows.map((row) => (
            <tr key={String(row[0])}>
              {row.map((cell, index) => (
                <td key={index}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** Click-through rate by the chain step that served the list. */
export function CtrChart({ rows }: { rows: CtrRow[] }) {
  return (
    <ChartFigure
      id="ctr"
      title="Click-through by source"
      note="Share of recommended books a reader then opened, checked out, finished or liked."
      table={{
        head: ['Source', 'Click-through', 'Impressions', 'Clicks'],
        rows: rows.map((row) => [row.source, `${row.ctr}%`, row.impressions, row.clicks]),
      }}
    >
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid stroke="var(--border)" vertical={false} />
          <XAxis dataKey="source" tick={AXIS} stroke="var(--border)" />
          <YAxis unit="%" tick={AXIS} stroke="var(--border)" width={48} />
          <Tooltip {...TOOLTIP} formatter={percent} />
          <Bar dataKey="ctr" name="Click-through" fill="var(--chart-1)" radius={[4, 4, 0, 0]} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

/** Coverage of the catalogue and diversity of the lists. */
export function QualityChart({ rows }: { rows: QualityRow[] }) {
  const measured = rows.some((row) => row.measure === 'Diversity');
  return (
    <ChartFigure
      id="quality"
      title="Coverage and diversity"
      note={`Coverage: share of the library recommended at least once. Diversity: how different the books in one list are${
        measured ? '.' : ' (measured once books have vectors: see Jobs).'
      }`}
      table={{ head: ['Measure', 'Percent'], rows: rows.map((row) => [row.measure, `${row.percent}%`]) }}
    >
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart
          data={rows}
          layout="vertical"
          margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
          accessibilityLayer={false}
        >
          <CartesianGrid stroke="var(--border)" horizontal={false} />
          <XAxis type="number" domain={[0, 100]} unit="%" tick={AXIS} stroke="var(--border)" />
          <YAxis type="category" dataKey="measure" tick={AXIS} stroke="var(--border)" width={80} />
          <Tooltip {...TOOLTIP} formatter={percent} />
          <Bar dataKey="percent" name="Percent" fill="var(--chart-2)" radius={[0, 4, 4, 0]} barSize={28} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

/** Interactions per week, stacked by kind. */
export function ActivityChart({ rows }: { rows: ActivityRow[] }) {
  return (
    <ChartFigure
      id="activity"
      title="Reading over time"
      note="Interactions per week: reading (checkouts, finishes, ratings), feedback on recommendations, and other."
      table={{
        head: ['Week of', 'Reading', 'Feedback', 'Other'],
        rows: rows.map((row) => [row.week, row.reading, row.feedback, row.other]),
      }}
    >
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid stroke="var(--border)" vertical={false} />
          <XAxis dataKey="week" tick={AXIS} stroke="var(--border)" />
          <YAxis allowDecimals={false} tick={AXIS} stroke="var(--border)" width={40} />
          <Tooltip {...TOOLTIP} />
          <Legend {...LEGEND} />
          <Bar dataKey="reading" name="Reading" stackId="week" fill="var(--chart-1)" />
          <Bar dataKey="feedback" name="Feedback" stackId="week" fill="var(--chart-2)" />
          <Bar dataKey="other" name="Other" stackId="week" fill="var(--chart-3)" />
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

/** The library audit: share of books per grade band against share of readers. */
export function AuditChart({ rows, note }: { rows: AuditRow[]; note: string }) {
  return (
    <ChartFigure
      id="audit"
      title="Library audit: book levels against reader levels"
      note={note}
      table={{
        head: ['Grade band', 'Books', 'Share of books', 'Readers', 'Share of readers'],
        rows: rows.map((row) => [
          row.band,
          row.bookCount,
          `${row.books}%`,
          row.readerCount,
          `${row.readers}%`,
        ]),
      }}
    >
      <ResponsiveContainer width="100%" height={HEIGHT + 40}>
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid stroke="var(--border)" vertical={false} />
          <XAxis dataKey="band" tick={AXIS} stroke="var(--border)" />
          <YAxis unit="%" tick={AXIS} stroke="var(--border)" width={48} />
          <Tooltip {...TOOLTIP} formatter={percent} />
          <Legend {...LEGEND} />
          <Bar dataKey="books" name="Books" fill="var(--chart-1)" radius={[4, 4, 0, 0]} />
          <Bar dataKey="readers" name="Readers" fill="var(--chart-3)" radius={[4, 4, 0, 0]} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
