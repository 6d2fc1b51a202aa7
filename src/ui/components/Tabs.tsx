/** The page tabs (ARIA tablist, arrow keys move between tabs). */
import type { KeyboardEvent } from 'react';
import { PAGE_TABS, type PageTab } from './ensemble/tab';

const LABELS: Record<PageTab, string> = { data: 'Data', train: 'Train', runs: 'Runs', ensemble: 'Ensemble', compare: 'Compare', overfitting: 'Overfitting', predict: 'Predict' };

interface Props {
  tab: PageTab;
  onChange: (tab: PageTab) => void;
  /** Small marker next to a tab label, e.g. a running training. */
  marks?: Partial<Record<PageTab, string>>;
}

export function Tabs({ tab, onChange, marks }: Props) {
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = PAGE_TABS.indexOf(tab);
    if (e.key === 'ArrowRight') onChange(PAGE_TABS[(i + 1) % PAGE_TABS.length]);
    else if (e.key === 'ArrowLeft') onChange(PAGE_TABS[(i + PAGE_TABS.length - 1) % PAGE_TABS.length]);
    else return;
    e.preventDefault();
  };
  return (
    <nav className="tabs" role="tablist" aria-label="Pages" onKeyDown={onKey}>
      {PAGE_TABS.map((t) => (
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
