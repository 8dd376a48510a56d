/** The readers on file, with their class, grade and reading level. */
import { type StoreApi, useStore } from 'zustand';
import type { ClassRecord, Page, Reader } from '../../../shared/contract/domain';
import { formatGrade, formatLevel } from '../format';
import type { QueryState } from '../stores/query';

/** The readers panel. */
export function ReadersPanel({
  readers,
  classes,
}: {
  readers: StoreApi<QueryState<Page<Reader>>>;
  classes: StoreApi<QueryState<ClassRecord[]>>;
}) {
  const page = useStore(readers, (state) => state.data);
  const loading = useStore(readers, (state) => state.loading);
  const classList = useStore(classes, (state) => state.data);
  const className = (id: string | null) => (id && classList?.find((item) => item.id === id)?.name) || '—';

  return (
    <section className="card" aria-labelledby="readers-heading" aria-busy={loading}>
      <div className="card-header">
        <h2 id="readers-heading">Readers</h2>
        {page && <span className="badge">{page.total}</span>}
      </div>
      {!page ? (
        <p className="muted">{loading ? 'Loading…' : 'The readers are not available.'}</p>
      ) : page.items.length === 0 ? (
        <p className="muted">No readers yet. Add one here or with “lumin readers add”.</p>
      ) : (
        <table className="readers">
          <caption className="visually-hidden">Readers</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Class</th>
              <th scope="col">Grade</th>
              <th scope="col">Reading level</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((reader) => (
              <tr key={reader.id}>
                <th scope="row">
                  {reader.name}
                  {reader.kind === 'self' && (
                    <>
                      {' '}
                      <span className="badge subtle">you</span>
                    </>
                  )}
                </th>
                <td>{className(reader.classId)}</td>
                <td>{formatGrade(reader.grade)}</td>
                <td>{formatLevel(reader.readingLevel)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && page.total > page.items.length && (
        <p className="muted">
          Showing {page.items.length} of {page.total}.
        </p>
      )}
    </section>
  );
}
