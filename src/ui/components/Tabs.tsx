/** The page tabs (ARIA tablist, arrow keys move between tabs). */
import type { KeyboardEvent } from 'react';
import { TABS, type Tab } from '../state/ui';

const LABELS: Record<Tab, string> = {
  data: 'Data',
  train: 'Train',
  runs: 'Runs',
  ensemble: 'Ensemble',
  compare: 'Compare',
  overfitting: 'Overfitting',
  predict: 'Predict',
  quota: 'Quota',
};

interface Props {
  tab: Tab;
  onChange: (tab: Tab) => void;
  /** Small marker next to a tab label, e.g. a running training. */
  marks?: Partial<Record<Tab, string>>;
}

export function Tabs({ tab, onChange, marks }: Props) {
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = TABS.indexOf(tab);
    if (e.key === 'ArrowRight') onChange(TABS[(i + 1) % TABS.length]);
    else if (e.key === 'ArrowLeft') onChange(TABS[(i + TABS.length - 1) % TABS.length]);
    else return;
    e.preventDefault();
  };
  return (
    <nav className="tabs" role="tablist" aria-label="Pages" onKeyDown={onKey}>
      {TABS.map((t) => (
        <button
          key={t}
          type="button"
          role="tab"
          id={`tab-${t}`}
          aria-selected={t === tab}
          aria-controls={`panel-${t}`}
          tabIndex={t === tab ? 0 : -1}
          className={t === tab ? 'tab active' : 'tab'}
          onClick={() => onChange(t)}
        >
          {LABELS[t]}
          {marks?.[t] && (
            <span className="tab-mark" aria-hidden="true">
              {' '}
              {marks[t]}
            </span>
          )}
        </button>
      ))}
    </nav>
  );
}
