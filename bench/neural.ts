/**
 * Neural tier benchmark.
 *   npm run bench -- neural [--no-peers] [--quick]
 * 1. fastText-style model on its best CPU path (configs/fasttext-cpu.json) against fastText
 *    itself (../shared/bench/peers_fasttext.sh) on the same files in the same run:
 *    test accuracy, wall-clock training time (dictionary + training), prediction throughput.
 * 2. Training throughput (examples/s) of each neural preset on each backend available in
 *    Node (webgpu through Dawn, SwiftShader on GPU-less machines; wasm; cpu), on a small slice.
 * Prints one JSON line per figure.
 */
import { createEstimator } from '../src/core/models/registry';
import { createNodeLab } from '../src/platform/node/node-lab';
import { argmax } from '../src/core/eval/metrics';
import { selectNodeBackend } from '../src/platform/node/backend';
import { runPeers } from './peers';
import { agNewsTrainTest, DATA, preset } from './shared';

const quick = process.argv.includes('--quick');
const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
const { train, test, classes } = await agNewsTrainTest();

let peer: { acc: number; fit_s: number; predict_docs_per_s: number } | undefined;
if (!process.argv.includes('--no-peers')) {
  const { results, lines } = runPeers('../shared/bench/peers_fasttext.sh', [`${DATA}/train.csv`, `${DATA}/test.csv`]);
  for (const l of lines) console.log(JSON.stringify({ bench: 'peer', ...JSON.parse(l) }));
  peer = results.get('fasttext_bigram');
}

{
  await selectNodeBackend('cpu');
  const cfg = preset('fasttext-cpu');
  const m = createEstimator(cfg.model);
  // The rows in train.csv's order, the order fastText reads them in (the import lists the
  // validation rows it carved out after the training rows).
  const fileOrder = train.slice().sort((a, b) => Number(a.id.split(':')[1]) - Number(b.id.split(':')[1]));
  const t0 = performance.now();
  await m.fit(fileOrder, { classes, seed: cfg.seed });
  const fitS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const probs = await m.predictProba(test.map((e) => e.text));
  const predS = (performance.now() - t1) / 1000;
  const acc = probs.filter((p, i) => argmax(p) === test[i].label).length / test.length;
  m.dispose();
  const ours = { acc: round(acc), fit_s: round(fitS, 2), predict_docs_per_s: Math.round(test.length / predS) };
  console.log(
    JSON.stringify({
      bench: 'neural',
      model: 'fasttext-cpu',
      backend: 'plain TypeScript (CPU)',
      train: train.length,
      test: test.length,
      ...ours,
      peer: peer ?? null,
      ratio: peer
        ? {
            acc_minus_peer: round(acc - peer.acc),
            // `fasttext test` prints P@1 with 3 decimals: the peer's 0.904 is anything in [0.9035, 0.9045).
            acc_minus_peer_at_peer_precision: round(round(acc, 3) - peer.acc, 3),
            fit_time: round(fitS / peer.fit_s, 3),
            predict_throughput: round(test.length / predS / peer.predict_docs_per_s, 2),
          }
        : null,
    }),
  );
}

/** Presets in the throughput report; the last is transformer-small on BERT's real WordPiece vocabulary. */
const THROUGHPUT: [string, string, Record<string, unknown>?][] = [
  ['fasttext', 'fasttext'],
  ['textcnn', 'textcnn'],
  ['transformer-small', 'transformer-small'],
  ['bigru', 'bigru'],
  ['transformer-small+wordpiece', 'transformer-small', { tokenizer: 'wordpiece', vocabFile: '../shared/models/bert-base-uncased/vocab.txt' }],
];

// Throughput per model and backend on a small slice (one short epoch each).
const SLICE: Record<string, number> = { webgpu: quick ? 64 : 192, wasm: quick ? 256 : 1024, cpu: quick ? 128 : 512 };
for (const backend of ['webgpu', 'wasm', 'cpu'] as const) {
  let info;
  try {
    info = await selectNodeBackend(backend);
  } catch (e) {
    console.log(JSON.stringify({ bench: 'neural-throughput', backend, skipped: (e as Error).message }));
    continue;
  }
  for (const [name, file, overrides] of THROUGHPUT) {
    const cfg = preset(file);
    Object.assign(cfg.model, overrides);
    cfg.model = (await createNodeLab().withAssets(cfg)).model;
    if (!('train' in cfg.model)) continue;
    cfg.model.train.epochs = 1;
    cfg.model.train.logEvery = 2;
    cfg.model.train.checkpointEvery = 0;
    cfg.model.train.earlyStopping = null;
    const slice = train.slice(0, SLICE[backend]);
    const m = createEstimator(cfg.model);
    const rates: number[] = [];
    const t0 = performance.now();
    try {
      await m.fit(slice, { classes, seed: 1, onEvent: (e) => e.type === 'step' && e.step > 2 && rates.push(e.examplesPerSec) });
      const secs = (performance.now() - t0) / 1000;
      rates.sort((a, b) => a - b);
      console.log(
        JSON.stringify({
          bench: 'neural-throughput',
          model: name,
          backend,
          adapter: info.adapter ? `${info.adapter.vendor} ${info.adapter.architecture}` : undefined,
          examples: slice.length,
          batchSize: cfg.model.train.batchSize,
          examples_per_s: Math.round(rates.length ? rates[Math.floor(rates.length / 2)] : slice.length / secs),
          parameters: m.parameterCount(),
        }),
      );
    } catch (e) {
      console.log(JSON.stringify({ bench: 'neural-throughput', model: name, backend, error: (e as Error).message }));
    } finally {
      m.dispose();
    }
  }
}
