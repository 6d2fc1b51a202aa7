/**
 * `agnews`: the headless runner. Same core entry points and configs as the page's worker.
 * Exit code 0 on success; otherwise a one-line reason on stderr and a non-zero code.
 */
import { Command, Option } from 'commander';
import { ENSEMBLE_METHODS } from '../core/models/ensemble/combiner';
import { toErrorData } from '../core/util/errors';
import { evalCommand } from './eval';
import { predictCommand } from './predict';
import { trainCommand } from './train';

const program = new Command('agnews').description('Train, evaluate and use news-topic classifiers from the terminal.').showHelpAfterError();
const backend = new Option('--backend <name>', 'tensor backend for neural models').choices(['auto', 'webgpu', 'wasm', 'cpu']).default('auto');

program
  .command('train')
  .description('train a model from a config and write a run folder')
  .option('--config <path>', 'experiment config (JSON), e.g. configs/quickstart-nb.json')
  .option('--resume <dir>', 'continue a stopped or killed run from its last checkpoint')
  .option('--data <spec>', 'AG News folder, a labelled file, or hf:OWNER/NAME', 'hf:fancyzhx/ag_news')
  .option('--out <dir>', 'run folder (default: runs/<time>-<config name>)')
  .option('--force', 'replace a run already in --out')
  .addOption(backend)
  .option('--seed <n>', 'random seed (overrides the config)', (v) => parseIntStrict(v, '--seed'))
  .option('--seeds <n>', 'repeat over n consecutive seeds (OUT/seed-N each) and report mean ± std', (v) => parseIntStrict(v, '--seeds'))
  .option('--browser', 'run inside headless Chromium (the Web Worker path) through Playwright')
  .option('--json', 'print the result record as one JSON line on stdout')
  .option('--dry-run', "print the run's estimated time, peak memory and checkpoint size and the guard's verdict; train nothing")
  .action(trainCommand);

program
  .command('recommend')
  .description('the presets that fit a time (and memory) budget on this machine, ranked by their measured accuracy, and why the others do not')
  .option('--data <spec>', 'AG News folder, a labelled file, or hf:OWNER/NAME', 'hf:fancyzhx/ag_news')
  .requiredOption('--budget <time>', 'time for the whole run: 60s, 10m, 1h')
  .option('--memory <size>', 'most memory the run may take at its peak: 2GB, 512MiB')
  .addOption(backend)
  .option('--json', 'print the recommendations as one JSON line on stdout')
  .action(async (opts) => (await import('./recommend')).recommendCommand(opts));

program
  .command('import-model')
  .description('make a run of an already fine-tuned sequence classifier, scored on the validation split')
  .requiredOption('--from <spec>', 'hf:OWNER/NAME[@REV] or a checkpoint folder (config.json, weights, tokenizer)')
  .option('--data <spec>', 'AG News folder, a labelled file, or hf:OWNER/NAME', 'hf:fancyzhx/ag_news')
  .requiredOption('--out <dir>', 'run folder')
  .addOption(new Option('--labels <how>', "match the checkpoint's labels to the classes").choices(['by-name', 'in-order']).default('by-name'))
  .option('--max-length <n>', 'tokens per text (default 512)', (v) => parseIntStrict(v, '--max-length'))
  .option('--max-validation <n>', 'score at most n validation examples', (v) => parseIntStrict(v, '--max-validation'))
  .option('--force', 'replace a run already in --out')
  .addOption(backend)
  .option('--json', 'print the result record as one JSON line on stdout')
  .action(async (opts) => (await import('./import-model')).importModelCommand(opts));

program
  .command('export')
  .description('write a finished run as a Hugging Face folder (hf), with an ONNX graph (onnx), its PEFT adapter (peft) or the run bundle (bundle)')
  .requiredOption('--run <dir>', 'run folder')
  .addOption(new Option('--format <format>', 'what to write').choices(['hf', 'onnx', 'peft', 'bundle']).makeOptionMandatory())
  .requiredOption('--out <dir>', 'folder to write (created; must be empty unless --force)')
  .option('--int8', 'onnx: int8 weights for the matrix products')
  .option('--force', 'write into a folder that is not empty')
  .addOption(backend)
  .option('--json', 'print what was written as one JSON line on stdout')
  .action(async (opts) => (await import('./export')).exportCommand(opts));

program
  .command('ensemble')
  .description('combine finished runs into an ensemble run (weights, meta-learner and calibration fitted on validation or out-of-fold train rows)')
  .requiredOption('--runs <dirs...>', 'member run folders, or folders holding run folders')
  .addOption(new Option('--method <name>', 'how the members are combined').choices(['soft', 'hard', 'weighted', 'rank', 'stacking', 'blend']).makeOptionMandatory())
  .option('--select <n>', 'greedy forward selection (Caruana) on validation, pruned to n members', (v) => parseIntStrict(v, '--select'))
  .addOption(new Option('--calibrate <how>', 'calibrate the combined probabilities on validation').choices(['temperature', 'platt', 'isotonic']))
  .requiredOption('--out <dir>', 'run folder')
  .option('--force', 'replace a run already in --out')
  .addOption(backend)
  .option('--json', 'print the result record as one JSON line on stdout')
  .action(async (opts) => (await import('./ensemble')).ensembleCommand(opts));

program
  .command('cascade')
  .description('order finished runs cheapest first into a cascade run, its confidence thresholds chosen on validation')
  .requiredOption('--runs <dirs...>', 'member run folders, cheapest first, strongest last')
  .option('--target-accuracy <x>', "keep this share of the strongest member's validation accuracy (default 0.995)", (v) => parseShare(v, '--target-accuracy'))
  .option('--max-escalation <f>', 'send at most this share of texts to the strongest member', (v) => parseShare(v, '--max-escalation'))
  .requiredOption('--out <dir>', 'run folder')
  .option('--force', 'replace a run already in --out')
  .addOption(backend)
  .option('--json', 'print the result record as one JSON line on stdout')
  .action(async (opts) => (await import('./cascade')).cascadeCommand(opts));

program
  .command('distill')
  .description("train a neural or pretrained config on a finished teacher run's probabilities (loss alpha*CE + (1-alpha)*T^2*KL), beside the same config without a teacher")
  .requiredOption('--teacher <dir>', 'the teacher run folder (any finished run: an ensemble, a pretrained or imported model, …)')
  .requiredOption('--config <path>', 'the student experiment config (JSON), e.g. configs/fasttext-cpu.json')
  .option('--alpha <a>', "weight of the labels' loss, 0 to 1 (default: the config's distill.alpha, else 0.5)", (v) => Number(v))
  .option('--temperature <t>', "softening temperature, > 0 (default: the config's distill.temperature, else 2)", (v) => Number(v))
  .option('--data <spec>', 'AG News folder, a labelled file, or hf:OWNER/NAME', 'hf:fancyzhx/ag_news')
  .requiredOption('--out <dir>', 'run folder of the student; the baseline goes to <dir>-baseline')
  .option('--no-baseline', 'skip the run without a teacher (the record then has no gain)')
  .option('--force', 'replace runs already in --out and <dir>-baseline')
  .addOption(backend)
  .option('--json', 'print the result record as one JSON line on stdout')
  .action(async (opts) => (await import('./distill')).distillCommand(opts));

program
  .command('pretrain')
  .description('continue masked-language-model training of a BERT, DistilBERT or RoBERTa encoder on the train texts into a folder fine-tuning takes as its base')
  .requiredOption('--base <base>', 'hf:OWNER/NAME[@REV] or a Hugging Face model folder (file:DIR or DIR)')
  .option('--data <spec>', 'AG News folder, a labelled file, or hf:OWNER/NAME', 'hf:fancyzhx/ag_news')
  .requiredOption('--out <dir>', 'folder for the pretrained model (config.json, model.safetensors, tokenizer, pretrain.json)')
  .option('--steps <n>', 'optimizer steps (default: --epochs passes over the texts)')
  .option('--epochs <n>', 'passes over the train texts when --steps is not given (default 1)')
  .option('--batch <n>', 'texts per step (default 8)')
  .option('--max-length <n>', 'tokens per text, special tokens included (default 128)')
  .option('--lr <x>', 'peak learning rate, linear decay after 6% warm-up (default 5e-5)')
  .option('--weight-decay <x>', 'AdamW weight decay, not on biases and LayerNorm weights (default 0.01)')
  .option('--warmup <x>', 'share of the steps spent warming up (default 0.06)')
  .option('--mask-prob <p>', 'share of tokens chosen for prediction: 80% [MASK], 10% random, 10% kept (default 0.15)')
  .option('--whole-word', 'mask every piece of a chosen word')
  .option('--max-texts <n>', 'use a seeded sample of at most n train texts')
  .option('--dropout <p>', "dropout everywhere instead of the checkpoint's own")
  .option('--seed <n>', 'seed of the sample, batches, masks, dropout and a fresh MLM head (default 42)')
  .option('--checkpoint-every <n>', 'steps between saves of the folder (default 500; 0: only at the end)')
  .option('--force', 'replace a model or run already in --out')
  .addOption(backend)
  .option('--json', 'print the pretrain record as one JSON line on stdout')
  .action(async (opts) => (await import('./pretrain')).pretrainCommand(opts));

program
  .command('eval')
  .description("score a run's model on the guarded test split or on a labelled file")
  .requiredOption('--run <dir>', 'run folder')
  .addOption(new Option('--split <name>', 'dataset split to score').choices(['test']))
  .option('--purpose <text>', 'why the test split is being read (required with --split test)')
  .option('--file <path>', 'labelled file: .csv in the AG News layout (label,title,description), or .tsv/.jsonl/.json/.parquet with text and label columns')
  .option('--robustness', "accuracy on perturbed copies of the run's validation texts (typos, character noise, word drops)")
  .option('--rate <r>', 'perturbation rate for --robustness (default 0.1)', (v) => Number(v))
  .addOption(backend)
  .option('--json', 'print the evaluation record as one JSON line on stdout')
  .action(evalCommand);

program
  .command('predict')
  .description('class probabilities for new texts')
  .requiredOption('--run <dir>', 'run folder')
  .option('--text <text>', 'one text')
  .option('--file <path>', 'a file with one text per line')
  .addOption(backend)
  .option('--json', 'print predictions as one JSON line on stdout')
  .action(predictCommand);

program
  .command('serve')
  .description("serve a finished run's predictions over HTTP: POST /v1/classify, GET /healthz, GET /metrics (Prometheus)")
  .requiredOption('--run <dir>', 'run folder (any finished run: ensembles and cascades too)')
  .option('--port <n>', 'TCP port, 0 for any free one (default 8080)', (v) => parsePort(v))
  .option('--host <address>', 'address to listen on (default 127.0.0.1)')
  .option('--max-batch <n>', 'most texts per model call when concurrent requests are batched (default 64)', (v) => parsePositive(v, '--max-batch'))
  .option('--max-wait-ms <m>', 'longest a request waits for others to share its batch (default 2)', (v) => parseIntStrict(v, '--max-wait-ms'))
  .option('--max-texts <k>', 'most texts in one request (default 256)', (v) => parsePositive(v, '--max-texts'))
  .option('--max-body <bytes>', 'largest request body (default 1048576)', (v) => parsePositive(v, '--max-body'))
  .addOption(backend)
  .option('--json', 'print the address and settings as one JSON line once listening')
  .action(async (opts) => (await import('./serve')).serveCommand(opts));

program
  .command('report')
  .description('tabulate finished runs (metrics with CIs, efficiency, config hash) as CSV and JSON')
  .requiredOption('--runs <dirs...>', 'run folders, or folders holding run folders')
  .requiredOption('--out <dir>', 'folder for results.csv and results.json')
  .option('--json', 'print the table as one JSON line on stdout')
  .action(async (opts) => (await import('./report')).reportCommand(opts));

program
  .command('guard')
  .description('the test-set guard')
  .command('status')
  .description("a dataset's test-split hashes, evaluation budget and access log")
  .requiredOption('--data <spec>', 'AG News folder, a labelled file, or hf:OWNER/NAME')
  .option('--json', 'print the status as one JSON line on stdout')
  .action(async (opts) => (await import('./guard')).guardStatusCommand(opts));

program
  .command('sweep')
  .description('submit a grid, random points and seeds of a config as queue jobs, wait, and rank the runs on validation')
  .requiredOption('--config <path>', 'base experiment config (JSON)')
  .option('--grid <path=values...>', 'a setting and the values to try, e.g. model.C=0.5,1,2 (repeatable)')
  .option('--random <n>', 'draw n points from the space in --space', (v) => parseIntStrict(v, '--random'))
  .option('--space <file>', 'search space (JSON): setting path to a list or { "low", "high", "log"?, "int"? }')
  .option('--seeds <n>', 'each point over n consecutive seeds', (v) => parseIntStrict(v, '--seeds'))
  .requiredOption('--data <spec>', 'AG News folder or labelled file every worker can read at this path, or hf:OWNER/NAME')
  .requiredOption('--queue <url>', 'the Redis server, redis://HOST:PORT')
  .requiredOption('--out <dir>', 'sweep folder (shared by all workers): one run folder per job, and summary.json')
  .addOption(new Option('--ensemble <method>', "once the sweep's runs finish, combine them into an ensemble run (a flow job waiting on them)").choices(ENSEMBLE_METHODS))
  .option('--cascade', "once the sweep's runs finish, order them (as listed, cheapest first) into a cascade run")
  .option('--distill <config>', "once the sweep's runs (or its ensemble or cascade) finish, distil this student config from the best of them")
  .option('--alpha <a>', 'distillation: weight of the label loss (default 0.5)', (v) => Number(v))
  .option('--temperature <t>', 'distillation: softmax temperature (default 2)', (v) => Number(v))
  .option('--json', 'print the summary as one JSON line on stdout')
  .action(async (opts) => (await import('./sweep')).sweepCommand(opts));

program
  .command('search')
  .description('search settings of a config (TPE, random or grid) within a trial budget, stopping bad neural trials early; scored on validation, the best run kept')
  .requiredOption('--config <path>', 'base experiment config (JSON), e.g. configs/quickstart-fasttext.json')
  .requiredOption('--space <file>', 'search space (JSON): setting path to a list or { "low", "high", "log"?, "int"? }')
  .requiredOption('--trials <n>', 'trial budget', (v) => parseIntStrict(v, '--trials'))
  .addOption(new Option('--sampler <name>', 'how the next settings are chosen').choices(['tpe', 'random', 'grid']).default('tpe'))
  .addOption(new Option('--pruner <name>', 'early stopping of bad neural trials at epoch ends').choices(['median', 'halving', 'none']).default('median'))
  .addOption(new Option('--keep <which>', 'completed trials kept as run folders').choices(['best', 'all']).default('best'))
  .option('--timeout <s>', 'start no trial after this many seconds', (v) => Number(v))
  .option('--data <spec>', 'AG News folder, a labelled file, or hf:OWNER/NAME', 'hf:fancyzhx/ag_news')
  .option('--out <dir>', 'search folder: trial-NNN run folders and search.json (default: runs/<time>-search-<config name>)')
  .option('--seed <n>', "seed of the trials and the sampler (overrides the config's)", (v) => parseIntStrict(v, '--seed'))
  .option('--force', 'replace a search already in --out')
  .addOption(backend)
  .option('--json', 'print the search summary as one JSON line on stdout')
  .action(async (opts) => (await import('./search')).searchCommand(opts));

program
  .command('worker')
  .description('run queued jobs (sweeps) until stopped; SIGTERM finishes the running job, a second one hands it back')
  .requiredOption('--queue <url>', 'the Redis server, redis://HOST:PORT')
  .option('--concurrency <n>', 'worker processes on this machine (each runs one job at a time)', (v) => parseIntStrict(v, '--concurrency'))
  .option('--lock-seconds <s>', "how long a job's lock lasts unrenewed: how soon a dead worker's job moves on (default 30)", (v) => parseIntStrict(v, '--lock-seconds'))
  .addOption(backend)
  .action(async (opts) => (await import('./worker')).workerCommand(opts));

program
  .command('queue')
  .description('the job queue')
  .command('status')
  .description('jobs by state, and the workers connected')
  .requiredOption('--queue <url>', 'the Redis server, redis://HOST:PORT')
  .option('--json', 'print the status as one JSON line on stdout')
  .action(async (opts) => (await import('./queue')).queueStatusCommand(opts));

program
  .command('device')
  .description('this machine as the lab sees it: WebGPU adapter (software or not), limits, cores, memory, heap, free disk, calibrations')
  .addOption(backend)
  .option('--json', 'print the profile as one JSON line on stdout')
  .action(async (opts) => (await import('./device')).deviceCommand(opts));

program
  .command('quota')
  .description("storage by kind and item of the runner's store (datasets, Hub downloads, cached base models) and of run folders, with the compute budgets and their use")
  .option('--runs <dirs...>', 'run folders (or folders holding run folders) to count too')
  .option('--json', 'print { store, storage, budgets } as one JSON line on stdout')
  .action(async (opts) => (await import('./quota')).quotaCommand(opts));

program
  .command('budget')
  .description("set compute budgets (kept in the runner's store; a run stops with a checkpoint when one runs out), or show them with no flag")
  .option('--per-run <duration>', 'training time per run, e.g. 30m (off: no limit)')
  .option('--per-day <duration>', 'training time per UTC day, e.g. 2h (off: no limit)')
  .option('--per-week <duration>', 'training time per week from Monday 00:00 UTC, e.g. 10h (off: no limit)')
  .option('--json', 'print the budget status as one JSON line on stdout')
  .action(async (opts) => (await import('./budget')).budgetCommand(opts));

function parseShare(v: string, name: string): number {
  const x = Number(v);
  if (!/^\d*\.?\d+$/.test(v) || !(x >= 0 && x <= 1)) throw new Error(`${name} must be a number from 0 to 1, got "${v}"`);
  return x;
}

function parsePositive(v: string, name: string): number {
  const n = parseIntStrict(v, name);
  if (n === 0) throw new Error(`${name} must be at least 1`);
  return n;
}

function parsePort(v: string): number {
  const n = parseIntStrict(v, '--port');
  if (n > 65535) throw new Error(`--port must be from 0 to 65535, got ${n}`);
  return n;
}

function parseIntStrict(v: string, name: string): number {
  if (!/^\d+$/.test(v)) throw new Error(`${name} must be a non-negative integer, got "${v}"`);
  return Number(v);
}

try {
  await program.parseAsync(process.argv);
  process.exit(0);
} catch (err) {
  const e = toErrorData(err);
  const where = e.where ? [e.where.file, e.where.line ? `line ${e.where.line}` : undefined, e.where.field].filter(Boolean).join(', ') : '';
  process.stderr.write(`agnews: ${e.message}${where && !e.message.includes(where) ? ` (${where})` : ''}\n`);
  process.exit(e.name === 'CancelledError' ? 130 : 1);
}
