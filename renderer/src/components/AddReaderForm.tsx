/**
 * Adds a student reader. Validation is the core's: whatever it rejects comes back as a Result and
 * shows in the error panel, so the form cannot drift from the contract's rules.
 */
import { type FormEvent, useId, useState } from 'react';
import { type StoreApi, useStore } from 'zustand';
import type { ClassRecord } from '../../../shared/contract/domain';
import { GRADES, formatGrade } from '../format';
import type { ActionsState } from '../stores';
import type { QueryState } from '../stores/query';

/** The add-reader form. */
export function AddReaderForm({
  actions,
  classes,
}: {
  actions: StoreApi<ActionsState>;
  classes: StoreApi<QueryState<ClassRecord[]>>;
}) {
  const addReader = useStore(actions, (state) => state.addReader);
  const classList = useStore(classes, (state) => state.data);
  const [name, setName] = useState('');
  const [grade, setGrade] = useState('');
  const [className, setClassName] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId();

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    const added = await addReader({
      name,
      grade: grade === '' ? null : Number(grade),
      className: className.trim() === '' ? null : className,
    });
    setBusy(false);
    // Keep the class and grade: teachers usually enter a whole class in a row.
    if (added) setName('');
  };

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Add a reader</h2>
      <form className="form" onSubmit={(event) => void onSubmit(event)}>
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          name="name"
          autoComplete="off"
          value={name}
          onChange={(event) => setName(event.target.value)}
          required
        />
        <label htmlFor={`${id}-grade`}>Grade</label>
        <select
          id={`${id}-grade`}
          name="grade"
          value={grade}
          onChange={(event) => setGrade(event.target.value)}
        >
          <option value="">Not set</option>
          {GRADES.map((value) => (
            <option key={value} value={value}>
              {formatGrade(value)}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-class`}>Class</label>
        <input
          id={`${id}-class`}
          name="className"
          list={`${id}-classes`}
          autoComplete="off"
          placeholder="e.g. Room 4"
          value={className}
          onChange={(event) => setClassName(event.target.value)}
        />
        <datalist id={`${id}-classes`}>
          {classList?.map((item) => (
            <option key={item.id} value={item.name} />
          ))}
        </datalist>
        <button type="submit" disabled={busy}>
          {busy ? 'Adding…' : 'Add reader'}
        </button>
      </form>
    </section>
  );
}
