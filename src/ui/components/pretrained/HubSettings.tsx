/** The page's settings area: the Hub base URL that model and dataset downloads use (a mirror, a local stand-in). */
import { useId, useState } from 'react';
import { lab } from '../../lab-client';
import { toShownError, type ShownError } from '../../util/errors';
import { ErrorAlert } from '../ErrorAlert';
import { DEFAULT_HUB_URL, storeHubUrl, storedHubUrl } from './hub-url';

export function HubSettings({ disabled }: { disabled?: boolean }) {
  const id = useId();
  const [saved, setSaved] = useState(storedHubUrl);
  const [text, setText] = useState(saved);
  const [error, setError] = useState<ShownError>();

  const save = async (url: string) => {
    setError(undefined);
    try {
      // The worker checks and normalises the address; only what it accepted is kept.
      const accepted = await lab().setHubUrl(url);
      storeHubUrl(accepted);
      setSaved(accepted);
      setText(accepted);
    } catch (err) {
      setError(toShownError(err));
    }
  };

  return (
    <details className="card settings" open={saved !== DEFAULT_HUB_URL || undefined}>
      <summary>Settings</summary>
      <div className="form-grid">
        <label htmlFor={`${id}-hub`}>Hub base URL</label>
        <div>
          <div className="row">
            <input id={`${id}-hub`} type="url" value={text} disabled={disabled} onChange={(e) => setText(e.target.value)} data-testid="hub-url" />
            <button type="button" disabled={disabled || text === saved} onClick={() => void save(text)} data-testid="hub-url-save">
              Save
            </button>
            {saved !== DEFAULT_HUB_URL && (
              <button type="button" className="link" disabled={disabled} onClick={() => void save(DEFAULT_HUB_URL)}>
                Use huggingface.co
              </button>
            )}
          </div>
          <p className="muted small" data-testid="hub-url-current">
            Pretrained bases (hf:OWNER/NAME) and Hub datasets download from {saved}; downloads are cached per commit in this browser.
          </p>
          {error && <ErrorAlert error={error} testId="hub-url-error" />}
        </div>
      </div>
    </details>
  );
}
