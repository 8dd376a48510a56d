/**
 * Adds or edits a student: name, class, grade, age, reading level, interests. Validation is the
 * core's: whatever it rejects comes back as a Result and shows in the error panel, so the form
 * cannot drift from the contract's rules.
 */
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useStore } from 'zustand';
import type { Reader, ReadingLevelSystem } from '../../../shared/contract/domain';
import { GRADES, formatGrade } from '../format';
import type { AppStores } from '../stores';

const SYSTEMS: [ReadingLevelSystem, string][] = [
  ['lexile', 'Lexile (e.g. 650L)'],
  ['guided_reading', 'Guided reading (A–Z)'],
  ['atos', 'ATOS (e.g. 4.5)'],
  ['dra', 'DRA (e.g. 28)'],
  ['grade', 'Grade level'],
];

/** The reader form; `reader` edits, otherwise it adds (to `defaultClass` when given). */
export function ReaderForm({
  stores,
  reader,
  defaultClass,
  onDone,
}: {
  stores: AppStores;
  reader?: Reader;
  defaultClass?: string;
  onDone?: () => void;
}) {
  const actions = useStore(stores.actions, (state) => state);
  const classList = useStore(stores.classes, (state) => state.data);
  const className = (id: string | null) => classList?.find((item) => item.id === id)?.name ?? '';
  const [name, setName] = useState(reader?.name ?? '');
  const [grade, setGrade] = useState(reader?.grade?.toString() ?? '');
  const [age, setAge] = useState(reader?.age?.toString() ?? '');
  const [levelSystem, setLevelSystem] = useState<ReadingLevelSystem>(
    reader?.readingLevel?.system ?? 'lexile',
  );
  const [levelValue, setLevelValue] = useState(reader?.readingLevel?.value ?? '');
  const [interests, setInterests] = useState(reader?.interests.join(', ') ?? '');
  const [sync, setSync] = useState(reader?.sync ?? true);
  const [classField, setClassField] = useState(reader ? className(reader.classId) : (defaultClass ?? ''));
  const [busy, setBusy] = useState(false);
  const id = useId();
  // Adding: follow the class the roster shows (it may load after the form appears).
  useEffect(() => {
    if (!reader) setClassField(defaultClass ?? '');
  }, [reader, defaultClass]);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    const fields = {
      name,
      grade: grade === '' ? null : Number(grade),
      age: age === '' ? null : Number(age),
      readingLevel: levelValue.trim() ? { value: levelValue.trim(), system: levelSystem } : null,
      interests: interests
        .split(/[,;]/)
        .map((word) => word.trim())
        .filter(Boolean),
      className: classField.trim() === '' ? null : classField.trim(),
      sync,
    };
    const saved = reader
      ? await actions.updateReader({
          id: reader.id,
          patch: classField.trim() === '' ? { ...fields, className: undefined, classId: null } : fields,
        })
      : await actions.addReader(fields);
    setBusy(false);
    if (!saved) return;
    // Keep the class and grade when adding: teachers usually enter a whole class in a row.
    if (!reader) {
      setName('');
      setAge('');
      setLevelValue('');
      setInterests('');
    }
    onDone?.();
  };

  const heading = reader ? `Edit ${reader.name}` : 'Add a student';
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{heading}</h3>
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
        <label htmlFor={`${id}-class`}>Class</label>
        <input
          id={`${id}-class`}
          name="className"
          list={`${id}-classes`}
          autoComplete="off"
          placeholder="e.g. Room 4"
          value={classField}
          onChange={(event) => setClassField(event.target.value)}
        />
        <datalist id={`${id}-classes`}>
          {classList?.map((item) => (
            <option key={item.id} value={item.name} />
          ))}
        </datalist>
        <div className="form-pair">
          <div>
            <label htmlFor={`${id}-grade`}>Grade</label>
            <select id={`${id}-grade`} value={grade} onChange={(event) => setGrade(event.target.value)}>
              <option value="">Not set</option>
              {GRADES.map((value) => (
                <option key={value} value={value}>
                  {formatGrade(value)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor={`${id}-age`}>Age</label>
            <input
              id={`${id}-age`}
              type="number"
              min={2}
              max={120}
              value={age}
              onChange={(event) => setAge(event.target.value)}
            />
          </div>
        </div>
        <div className="form-pair">
          <div>
            <label htmlFor={`${id}-system`}>Level system</label>
            <select
              id={`${id}-system`}
              value={levelSystem}
              onChange={(event) => setLevelSystem(event.target.value as ReadingLevelSystem)}
            >
              {SYSTEMS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor={`${id}-level`}>Reading level</label>
            <input
              id={`${id}-level`}
              autoComplete="off"
              value={levelValue}
              onChange={(event) => setLevelValue(event.target.value)}
            />
          </div>
        </div>
        <label htmlFor={`${id}-interests`}>Interests</label>
        <input
          id={`${id}-interests`}
          autoComplete="off"
          placeholder="dragons, space, football"
          value={interests}
          onChange={(event) => setInterests(event.target.value)}
        />
        <label className="checkbox" htmlFor={`${id}-sync`}>
          <input
            id={`${id}-sync`}
            type="checkbox"
            aria-describedby={`${id}-sync-hint`}
            checked={sync}
            onChange={(event) => setSync(event.target.checked)}
          />{' '}
          Include in sync
        </label>
        <p className="muted" id={`${id}-sync-hint`}>
          When sync is on, only a pseudonym, a school-grade band, the day and the book’s ISBN are sent; never
          a name or notes.
        </p>
        <div className="button-row">
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : reader ? 'Save changes' : 'Add student'}
          </button>
          {reader && onDone && (
            <button type="button" className="secondary" onClick={onDone}>
              Cancel
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
