/**
 * Runs the shared peer baselines (scikit-learn, fastText) once and returns their JSON lines by
 * model name. The script installs its Python packages on first use; it is slow (1-2 min).
 */
import { spawnSync } from 'node:child_process';

export interface PeerResult {
  model: string;
  acc: number;
  macro_f1?: number;
  featurize_s?: number;
  fit_s: number;
  predict_docs_per_s: number;
}

export function runPeers(script = '../shared/bench/peers.sh', args: string[] = []): { results: Map<string, PeerResult>; lines: string[] } {
  const r = spawnSync('bash', [script, ...args], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`peers failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const lines = r.stdout.split('\n').filter((l) => l.trim().startsWith('{'));
  const results = new Map<string, PeerResult>();
  for (const l of lines) {
    const p = JSON.parse(l) as PeerResult;
    results.set(p.model, p);
  }
  return { results, lines };
}

/** Our preset -> the scikit-learn model it is compared with. */
export const PEER_OF: Record<string, string> = {
  'tfidf-nb': 'sk_multinomial_nb',
  'tfidf-logreg': 'sk_logreg',
  'tfidf-svm': 'sk_linearsvc_calibrated',
  'tfidf-sgd': 'sk_sgd_modified_huber',
};
