/**
 * An error the user must see: role="alert", one plain sentence, then the list of what was
 * found. Every alert can be dismissed: with `onDismiss` the owner clears its state, otherwise
 * the alert hides itself until a different error arrives.
 */
import { useState } from 'react';
import type { ShownError } from '../util/errors';
import { issueText } from '../util/errors';

interface Props {
  error: ShownError;
  testId?: string;
  onDismiss?: () => void;
}

export function ErrorAlert({ error, testId, onDismiss }: Props) {
  const [dismissed, setDismissed] = useState<ShownError>();
  if (dismissed === error) return null;
  const more = error.errorCount - error.issues.length;
  return (
    <div className={`alert ${error.quota ? 'alert-quota' : ''}`} role="alert" data-testid={testId}>
      <div className="alert-head">
        <p className="alert-text">{error.text}</p>
        <button type="button" className="link alert-dismiss" onClick={() => (onDismiss ? onDismiss() : setDismissed(error))}>
          Dismiss
        </button>
      </div>
      {error.issues.length > 0 && (
        <ul className="issues">
          {error.issues.map((i, k) => (
            <li key={k}>{issueText(i)}</li>
          ))}
          {more > 0 && <li className="muted">… and {more.toLocaleString('en-US')} more</li>}
        </ul>
      )}
    </div>
  );
}
