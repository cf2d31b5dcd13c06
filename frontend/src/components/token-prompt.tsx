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
        <p>
          The token is the password of this notebook server. Whoever started the server has it: <code>npm start</code>{' '}
          prints it under the address of the page, and a deployed server keeps it as a secret in AWS Secrets Manager.
        </p>
        <label htmlFor={inputId}>Token</label>
        <input
          id={inputId}
          type="password"
          autoComplete="current-password"
          autoFocus
          value={value}
          onChange={(event) => setValue(event.target.value)}
        />
        <p className="hint">This browser remembers it until you choose “Forget token” at the top of the page.</p>
        <div className="dialog-actions">
          <button type="submit" className="primary" disabled={!value.trim()}>
            Save token
          </button>
        </div>
      </form>
    </div>
  );
}
