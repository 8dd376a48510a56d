/**
 * The settings forms' fields: a labelled input (with an optional hint below it), its two kinds that
 * recur (an endpoint's base URL, a write-only key) and a checkbox with its label beside it. Each makes
 * its own id, so a form lists only what differs between its fields.
 */
import { type InputHTMLAttributes, type ReactNode, useId } from 'react';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>;
type FieldProps = InputProps & { label: ReactNode; hint?: ReactNode };

/** An input under its label, in `.field`; `hint` goes below it. */
export function Field({ label, hint, ...input }: FieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} {...input} />
      {hint ? <p className="field-hint">{hint}</p> : null}
    </div>
  );
}

/** The base URL of an OpenAI-compatible endpoint (empty: OpenAI itself). */
export function BaseUrlField(props: Omit<FieldProps, 'type' | 'placeholder'>) {
  return <Field {...props} type="url" placeholder="Empty for OpenAI; Ollama: http://localhost:11434/v1" />;
}

/** A write-only API key: masked, with the browser's autocomplete off. */
export function SecretField(props: Omit<FieldProps, 'type' | 'autoComplete'>) {
  return <Field {...props} type="password" autoComplete="off" />;
}

/** A checkbox followed by its label, in `.field.field-inline`. */
export function CheckboxField({ label, ...input }: Omit<InputProps, 'type'> & { label: ReactNode }) {
  const id = useId();
  return (
    <div className="field field-inline">
      <input id={id} type="checkbox" {...input} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}
