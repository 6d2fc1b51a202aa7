/**
 * The first-run path, shown on the Data page until the first run finishes (or it is hidden):
 * load data, train a fast preset, then where to look. Each step ticks itself off from what
 * storage holds, so a returning user sees how far they got.
 */
import { useLists } from '../state/lists';
import { useUi } from '../state/ui';
import { DEFAULT_PRESET } from '../util/presets';

export function StartHere({ onLoadHub, busy }: { onLoadHub: () => void; busy: boolean }) {
  const datasets = useLists((s) => s.datasets);
  const runs = useLists((s) => s.runs);
  const loaded = useLists((s) => s.datasetsLoaded && s.runsLoaded);
  const hidden = useUi((s) => s.guideHidden);
  const ui = useUi.getState;
  const hasData = datasets.length > 0;
  const hasRun = runs.some((r) => r.status === 'done');
  if (!loaded || hidden || hasRun) return null;

  const train = () => {
    ui().set({ presetName: DEFAULT_PRESET, trainDatasetId: datasets[0]?.id });
    ui().setTab('train');
  };

  return (
    <section className="card start-here" data-testid="start-here" aria-labelledby="start-here-h">
      <div className="row spread">
        <h3 id="start-here-h">Start here</h3>
        <button type="button" className="link" onClick={() => ui().set({ guideHidden: true })}>
          Hide this guide
        </button>
      </div>
      <ol>
        <li className={hasData ? 'done' : undefined}>
          <strong>Load data.</strong>{' '}
          {hasData ? (
            <>Done: {datasets[0].name} is stored in this browser.</>
          ) : (
            <>
              <button type="button" className="link" disabled={busy} onClick={onLoadHub}>
                Load AG News from the Hub
              </button>{' '}
              (120,000 news headlines in 4 topics), or drop AG News's <code>train.csv</code>, <code>test.csv</code> and <code>classes.txt</code> (or any labelled CSV, TSV, JSONL or
              Parquet file) in the box below.
            </>
          )}
        </li>
        <li>
          <strong>Train a fast model.</strong> The <code>{DEFAULT_PRESET}</code> preset (TF-IDF with Naive Bayes, plain TypeScript) trains in seconds on any machine.{' '}
          {hasData && (
            <button type="button" className="primary" data-testid="start-here-train" onClick={train}>
              Train {DEFAULT_PRESET}
            </button>
          )}
        </li>
        <li>
          <strong>Look at the result.</strong> <em>Runs</em> shows accuracy with confidence intervals, the most confused classes and the most confident mistakes;{' '}
          <em>Overfitting</em> compares train and validation; <em>Predict</em> classifies a headline you type. Then try a neural preset and put both side by side on{' '}
          <em>Compare</em>.
        </li>
      </ol>
    </section>
  );
}
