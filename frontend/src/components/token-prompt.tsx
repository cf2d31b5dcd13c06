import { type FormEvent, useId, useState } from 'react';
import { useServices } from '../lib/services';
import { useAuth } from '../lib/use-auth';

/** Shown when the API answered 401: the token is kept in this browser and sent with every request. */
export function TokenPrompt() {
  const { auth } = useServices();
  const { prompt } = useAuth();
  const [value, setValue] = useState('');
  const inputId = useId();
  if (!prompt) return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!value.trim()) return;
    auth.setToken(value);
    setValue('');
  };

  return (
    <div className="overlay">
      <form className="dialog" role="dialog" aria-modal="true" aria-labelledby={`${inputId}-title`} onSubmit={submit}>
        <h2 id={`${inputId}-title`}>Access token</h2>
        <p>{prompt}</p>
        <label htmlFor={inputId}>Token</label>
        <input
          id={inputId}
          type="password"
          autoComplete="current-password"
          autoFocus
          value={value}
          onChange={(event) => setValue(event.target.value)}
        />
        <p className="hint">It is kept in this browser only (local storage).</p>
        <div className="dialog-actions">
          <button type="submit" className="primary" disabled={!value.trim()}>
            Save token
          </button>
        </div>
      </form>
    </div>
  );
}
