/**
 * Classes and readers: the classes (with a form to add one), the roster of the selected class,
 * adding and editing students, importing a roster, and reader mode (the one "me" reader).
 */
import { type FormEvent, useId, useState } from 'react';
import { useStore } from 'zustand';
import type { Reader } from '../../../shared/contract/domain';
import { EmptyState } from '../components/empty-state';
import { ReaderForm } from '../components/reader-form';
import { RouteLink } from '../components/route-link';
import { formatGrade, formatLevel } from '../format';
import type { AppStores } from '../stores';

/** The classes and readers view. */
export function ReadersView({ stores }: { stores: AppStores }) {
  const page = useStore(stores.readers, (state) => state.data);
  const loading = useStore(stores.readers, (state) => state.loading);
  const classList = useStore(stores.classes, (state) => state.data);
  const addClass = useStore(stores.actions, (state) => state.addClass);
  const addReader = useStore(stores.actions, (state) => state.addReader);
  const go = useStore(stores.nav, (state) => state.go);
  const [classId, setClassId] = useState<string>('all');
  const [editing, setEditing] = useState<Reader | null>(null);
  const [newClass, setNewClass] = useState('');
  const id = useId();

  const readers = page?.items ?? [];
  const self = readers.find((reader) => reader.kind === 'self');
  const students = readers.filter(
    (reader) => reader.kind === 'student' && (classId === 'all' || reader.classId === classId),
  );
  const selectedClass = classList?.find((item) => item.id === classId);
  const className = (id: string | null) => (id && classList?.find((item) => item.id === id)?.name) || '—';
  const openReader = (reader: Reader) => go({ view: 'reader', readerId: reader.id });

  const onAddClass = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const created = await addClass({ name: newClass });
    if (created) {
      setNewClass('');
      setClassId(created);
    }
  };

  return (
    <section aria-labelledby="readers-heading" className="screen">
      <header className="screen-header">
        <div>
          <h2 id="readers-heading">Classes &amp; readers</h2>
          <p className="muted">Rosters for teachers, and reader mode for reading on your own.</p>
        </div>
        <div className="button-row">
          {self ? (
            <button type="button" onClick={() => openReader(self)}>
              Open my reading (reader mode)
            </button>
          ) : (
            <button
              type="button"
              className="secondary"
              onClick={() => void addReader({ name: 'Me', kind: 'self' })}
            >
              Start reader mode
            </button>
          )}
          <button type="button" className="secondary" onClick={() => go({ view: 'import' })}>
            Import a roster
          </button>
        </div>
      </header>

      <div className="readers-layout">
        <div className="readers-main">
          <section className="card" aria-labelledby={`${id}-classes`}>
            <h3 id={`${id}-classes`}>Classes</h3>
            <div className="class-tabs" role="group" aria-label="Show class">
              <button type="button" aria-pressed={classId === 'all'} onClick={() => setClassId('all')}>
                All students
              </button>
              {classList?.map((item) => (
                <button
                  type="button"
                  key={item.id}
                  aria-pressed={classId === item.id}
                  onClick={() => setClassId(item.id)}
                >
                  {item.name} <span className="count">{item.readerCount}</span>
                </button>
              ))}
            </div>
            <form className="inline-form" onSubmit={(event) => void onAddClass(event)}>
              <label htmlFor={`${id}-new-class`}>New class</label>
              <input
                id={`${id}-new-class`}
                value={newClass}
                autoComplete="off"
                placeholder="e.g. Room 4"
                onChange={(event) => setNewClass(event.target.value)}
                required
              />
              <button type="submit" className="secondary">
                Add class
              </button>
            </form>
          </section>

          <section className="card" aria-labelledby={`${id}-roster`} aria-busy={loading}>
            <h3 id={`${id}-roster`}>{selectedClass ? `Roster: ${selectedClass.name}` : 'All students'}</h3>
            {!page && <p className="muted">{loading ? 'Loading…' : 'The readers are not available.'}</p>}
            {page && students.length === 0 && (
              <EmptyState title={selectedClass ? 'No students in this class yet' : 'No students yet'}>
                <p>
                  Add a student with the form, or import a roster spreadsheet (name, grade, age, reading
                  level, interests).
                </p>
              </EmptyState>
            )}
            {students.length > 0 && (
              <div className="table-scroll">
                <table className="roster">
                  <caption className="visually-hidden">Students</caption>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Class</th>
                      <th scope="col">Grade</th>
                      <th scope="col">Age</th>
                      <th scope="col">Reading level</th>
                      <th scope="col">Interests</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {students.map((reader) => (
                      <tr key={reader.id}>
                        <th scope="row">
                          <RouteLink route={{ view: 'reader', readerId: reader.id }} onOpen={go}>
                            {reader.name}
                          </RouteLink>
                        </th>
                        <td>{className(reader.classId)}</td>
                        <td>{formatGrade(reader.grade)}</td>
                        <td>{reader.age ?? '—'}</td>
                        <td>{formatLevel(reader.readingLevel)}</td>
                        <td>{reader.interests.join(', ') || '—'}</td>
                        <td>
                          <button
                            type="button"
                            className="link-button"
                            onClick={() => setEditing(reader)}
                            aria-label={`Edit ${reader.name}`}
                          >
                            Edit
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </div>
        <div className="readers-side">
          {editing ? (
            <ReaderForm key={editing.id} stores={stores} reader={editing} onDone={() => setEditing(null)} />
          ) : (
            <ReaderForm key="add" stores={stores} defaultClass={selectedClass?.name ?? ''} />
          )}
        </div>
      </div>
    </section>
  );
}
