/** An error the user must see: role="alert", with the first validation issues if any. */
import type { ShownError } from '../util/errors';
import { issueText } from '../util/errors';

interface Props {
  error: ShownError;
  testId?: string;
  onDismiss?: () => void;
}

export function ErrorAlert({ error, testId, onDismiss }: Props) {
  return (
    <div className={`alert ${error.quota ? 'alert-quota' : ''}`} role="alert" data-testid={testId}>
      <p className="alert-text">{error.text}</p>
      {error.issues.length > 0 && (
        <>
          <p className="alert-sub">
            {error.errorCount > error.issues.length
              ? `First ${error.issues.length} of ${error.errorCount} errors:`
              : `${error.issues.length} error${error.issues.length === 1 ? '' : 's'}:`}
          </p>
          <ul className="issues">
            {error.issues.map((i, k) => (
              <li key={k}>{issueText(i)}</li>
            ))}
          </ul>
        </>
      )}
      {onDismiss && (
        <button type="button" className="link" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
