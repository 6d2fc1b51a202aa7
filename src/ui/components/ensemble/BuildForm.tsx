/**
 * The build form: members (ordered, cheapest first for a cascade), the kind, and for an ensemble
 * the combiner, selection size and calibration; for stacking, which members can be re-fitted on
 * train folds and what that costs. Everything it fits is fitted on validation by the lab.
 */
import { useEffect, useId, useState } from 'react';
import type { RunSummary } from '../../../core/lab/api';
import type { CascadeTargetRequest, EnsembleCalibration, EnsembleMethod, StackingPlan } from '../../../core/lab/ensemble-api';
import { pct, seconds } from '../../util/format';
import { toShownError, type ShownError } from '../../util/errors';
import { lab } from '../../lab-client';
import { ErrorAlert } from '../ErrorAlert';
import { useEnsembleJob } from './job';
import { useEnsembleUi } from './state';

const METHODS: { value: EnsembleMethod; label: string }[] = [
  { value: 'soft', label: 'soft voting (mean probabilities)' },
  { value: 'hard', label: 'hard voting (majority label)' },
  { value: 'weighted', label: 'weighted soft voting (weights fitted on validation)' },
  { value: 'rank', label: 'rank averaging' },
  { value: 'stacking', label: 'stacking (meta-learner on out-of-fold probabilities)' },
  { value: 'blend', label: 'blending (meta-learner on half of validation)' },
];
const CALIBRATIONS: EnsembleCalibration[] = ['temperature', 'platt', 'isotonic'];

/** Measured prediction cost of a run, seconds per 1,000 texts (what the cascade weighs its stages by). */
const costOf = (r: RunSummary): number | undefined => {
  const tps = r.result?.efficiency?.textsPerSecond;
  return tps && tps > 0 ? 1000 / tps : undefined;
};
const costText = (r: RunSummary): string => {
  const c = costOf(r);
  return c === undefined ? 'cost not measured' : `${c < 0.1 ? c.toFixed(3) : c.toFixed(2)} s / 1,000 texts`;
};

interface Props {
  /** Finished runs that can be members. */
  candidates: RunSummary[];
  /** Another job (a training) holds the worker. */
  busy: boolean;
}

export function BuildForm({ candidates, busy }: Props) {
  const id = useId();
  const { members, kind, method, set, toggleMember, moveMember } = useEnsembleUi();
  const job = useEnsembleJob();
  const [select, setSelect] = useState('');
  const [calibrate, setCalibrate] = useState<EnsembleCalibration | ''>('');
  const [targetKind, setTargetKind] = useState<'keepAccuracy' | 'maxEscalation'>('keepAccuracy');
  const [targetValue, setTargetValue] = useState('99.5');

  const picked = members.map((m) => candidates.find((r) => r.runId === m)).filter((r): r is RunSummary => !!r);
  const missing = members.length - picked.length;
  const datasets = new Set(picked.map((r) => r.datasetId));
  const others = candidates.filter((r) => !members.includes(r.runId) && (datasets.size === 0 || datasets.has(r.datasetId)));

  const problem =
    picked.length < 2
      ? 'Pick at least two finished runs.'
      : datasets.size > 1
        ? 'Members must be trained on the same dataset: their validation predictions are paired text by text.'
        : select !== '' && !(Number.isInteger(Number(select)) && Number(select) >= 1 && Number(select) <= picked.length)
          ? `Selection size must be a whole number from 1 to ${picked.length}, or empty to keep every member.`
          : kind === 'cascade' && !(Number(targetValue) > 0 && Number(targetValue) <= 100)
            ? 'The cascade target must be a percentage above 0 and at most 100.'
            : undefined;

  const submit = () => {
    if (problem) return;
    const datasetId = picked[0].datasetId;
    const runIds = picked.map((r) => r.runId);
    if (kind === 'cascade') {
      const share = Number(targetValue) / 100;
      const target: CascadeTargetRequest = targetKind === 'keepAccuracy' ? { keepAccuracy: share } : { maxEscalation: share };
      void job.buildCascade({ datasetId, members: runIds, target });
    } else {
      void job.build({ datasetId, members: runIds, method, select: select === '' ? undefined : Number(select), calibrate: calibrate || undefined });
    }
  };

  return (
    <section className="card ensemble-build" aria-labelledby={`${id}-h`} data-testid="ensemble-build">
      <h3 id={`${id}-h`}>Build</h3>
      <fieldset className="ensemble-kind">
        <legend>Kind</legend>
        <label>
          <input type="radio" name={`${id}-kind`} checked={kind === 'ensemble'} onChange={() => set({ kind: 'ensemble' })} /> Ensemble (combine every member's probabilities)
        </label>
        <label>
          <input type="radio" name={`${id}-kind`} checked={kind === 'cascade'} onChange={() => set({ kind: 'cascade' })} /> Cascade (a cheap member answers when sure, the next one
          otherwise)
        </label>
      </fieldset>

      <h4>
        Members{kind === 'cascade' && <span className="muted small"> · cheapest first, strongest last</span>}
        {kind === 'cascade' && picked.length > 1 && (
          <button
            type="button"
            className="small ensemble-order"
            // Runs without a measured cost go last: nothing says they are cheap.
            onClick={() =>
              set({
                members: picked
                  .slice()
                  .sort((a, b) => (costOf(a) ?? Infinity) - (costOf(b) ?? Infinity))
                  .map((r) => r.runId),
              })
            }
          >
            Order by measured cost
          </button>
        )}
      </h4>
      {picked.length === 0 ? (
        <p className="muted" data-testid="ensemble-no-members">
          No members yet: tick finished runs on the Runs page, or add them here.
        </p>
      ) : (
        <ol className="ensemble-members-pick" data-testid="ensemble-members-pick">
          {picked.map((r, i) => (
            <li key={r.runId} data-testid="ensemble-member-pick">
              <span className="ensemble-member-name">{r.configName}</span> <span className="muted small">{r.model}</span>{' '}
              <span className="small">
                val. {pct(r.result?.validation?.accuracy, 2)} · {costText(r)}
              </span>{' '}
              <span className="muted small">{r.runId}</span>
              <span className="ensemble-member-actions">
                {kind === 'cascade' && (
                  <>
                    <button type="button" className="small" disabled={i === 0} onClick={() => moveMember(r.runId, -1)} aria-label={`Move ${r.configName} earlier`}>
                      ↑
                    </button>
                    <button type="button" className="small" disabled={i === picked.length - 1} onClick={() => moveMember(r.runId, 1)} aria-label={`Move ${r.configName} later`}>
                      ↓
                    </button>
                  </>
                )}
                <button type="button" className="small" onClick={() => toggleMember(r.runId)} aria-label={`Remove ${r.configName} from the members`}>
                  Remove
                </button>
              </span>
            </li>
          ))}
        </ol>
      )}
      {missing > 0 && (
        <p className="small warn-text">
          {missing} picked run{missing === 1 ? ' is' : 's are'} not finished or no longer stored and will be left out.{' '}
          <button type="button" className="small" onClick={() => set({ members: picked.map((r) => r.runId) })}>
            Forget {missing === 1 ? 'it' : 'them'}
          </button>
        </p>
      )}
      {others.length > 0 && (
        <label className="small">
          Add a member{' '}
          <select
            value=""
            aria-label="Add a member"
            onChange={(e) => {
              if (e.target.value) toggleMember(e.target.value);
            }}
          >
            <option value="">choose a finished run…</option>
            {others.map((r) => (
              <option key={r.runId} value={r.runId}>
                {r.configName} · {r.model} · {pct(r.result?.validation?.accuracy, 2)} · {r.runId}
              </option>
            ))}
          </select>
        </label>
      )}

      {kind === 'ensemble' ? (
        <div className="form-inline">
          <label>
            Method
            <select value={method} onChange={(e) => set({ method: e.target.value as EnsembleMethod })} aria-label="Method">
              {METHODS.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Selection size
            <input
              type="number"
              min={1}
              max={Math.max(1, picked.length)}
              step={1}
              value={select}
              placeholder="all members"
              onChange={(e) => setSelect(e.target.value)}
              aria-label="Selection size"
              aria-describedby={`${id}-select-help`}
            />
            <span id={`${id}-select-help`} className="muted small">
              Greedy forward selection on validation (Caruana et al.)
            </span>
          </label>
          <label>
            Calibration
            <select value={calibrate} onChange={(e) => setCalibrate(e.target.value as EnsembleCalibration | '')} aria-label="Calibration">
              <option value="">none</option>
              {CALIBRATIONS.map((c) => (
                <option key={c} value={c}>
                  {c} (on validation)
                </option>
              ))}
            </select>
          </label>
        </div>
      ) : (
        <div className="form-inline">
          <label>
            Thresholds chosen to
            <select value={targetKind} onChange={(e) => setTargetKind(e.target.value as typeof targetKind)} aria-label="Cascade target">
              <option value="keepAccuracy">keep this share of the strongest member's accuracy</option>
              <option value="maxEscalation">send at most this share of texts to the last member</option>
            </select>
          </label>
          <label>
            Share (%)
            <input type="number" min={0} max={100} step={0.1} value={targetValue} onChange={(e) => setTargetValue(e.target.value)} aria-label="Cascade target share" />
          </label>
        </div>
      )}
      {kind === 'ensemble' && method === 'stacking' && picked.length >= 2 && <StackingPlanNote runIds={picked.map((r) => r.runId)} candidates={picked} />}

      {problem && members.length > 0 && (
        <p className="small warn-text" data-testid="ensemble-problem">
          {problem}
        </p>
      )}
      <div className="row">
        <button type="button" className="primary" data-testid="ensemble-start" disabled={!!problem || job.running || busy} onClick={submit}>
          {kind === 'cascade' ? 'Build cascade' : 'Build ensemble'}
        </button>
        {busy && <span className="muted small">A training run is using the lab: wait for it to finish.</span>}
      </div>
    </section>
  );
}

/** Which members stacking can re-fit k-fold on train, why not, and the estimated cost. */
function StackingPlanNote({ runIds, candidates }: { runIds: string[]; candidates: RunSummary[] }) {
  const [plan, setPlan] = useState<StackingPlan>();
  const [error, setError] = useState<ShownError>();
  const key = runIds.join('|');
  useEffect(() => {
    let alive = true;
    setPlan(undefined);
    setError(undefined);
    lab()
      .stackingPlan(key.split('|'))
      .then((p) => alive && setPlan(p))
      .catch((e) => alive && setError(toShownError(e)));
    return () => {
      alive = false;
    };
  }, [key]);
  if (error) return <ErrorAlert error={error} testId="stacking-plan-error" />;
  if (!plan) return <p className="muted small">Checking which members can be re-fitted…</p>;
  const name = (runId: string) => candidates.find((r) => r.runId === runId)?.configName ?? runId;
  const total = plan.reduce((s, p) => s + (p.refittable ? (p.estimatedSeconds ?? 0) : 0), 0);
  const refittable = plan.filter((p) => p.refittable).length;
  return (
    <div className="table-wrap" data-testid="stacking-plan">
      <table className="ensemble-table">
        <caption>
          Stacking re-fits each member on train folds for out-of-fold probabilities: {refittable} of {plan.length} can be, about {seconds(total)} in all.
        </caption>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Re-fit</th>
            <th scope="col" className="num">
              Estimated time
            </th>
          </tr>
        </thead>
        <tbody>
          {plan.map((p) => (
            <tr key={p.runId}>
              <th scope="row">{name(p.runId)}</th>
              <td>{p.refittable ? 'yes' : `no: ${p.reason ?? 'its config cannot be re-fitted'}`}</td>
              <td className="num">{p.refittable ? seconds(p.estimatedSeconds) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
