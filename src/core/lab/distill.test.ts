import { describe, expect, it } from 'vitest';
import { memoryStore } from '../storage/memory';
import { createLab } from './lab';

const enc = new TextEncoder();
const TOY = { override: { reason: 'unit test on a toy dataset' } };
const WORDS = [
  ['war', 'minister', 'election', 'troops'],
  ['match', 'goal', 'league', 'coach'],
  ['shares', 'market', 'profit', 'stocks'],
  ['software', 'chip', 'internet', 'computer'],
];
function agnewsFiles(n: number, salt = '') {
  const rows = Array.from({ length: n }, (_, i) => {
    const k = i % 4;
    const w = WORDS[k];
    // Every fifth text borrows a word of the next topic, so neither teacher nor student is perfect.
    const noise = i % 5 === 0 ? WORDS[(k + 1) % 4][i % 4] : w[(i + 3) % 4];
    return `"${k + 1}","${w[i % 4]} ${noise} news ${salt}${i}","the ${w[(i + 2) % 4]} and ${noise} today ${i}"`;
  });
  return [
    { name: 'train.csv', bytes: enc.encode(rows.slice(0, n - 40).join('\n')) },
    { name: 'test.csv', bytes: enc.encode(rows.slice(n - 40).join('\n')) },
    { name: 'classes.txt', bytes: enc.encode('World\nSports\nBusiness\nSci/Tech\n') },
  ];
}

function lab() {
  return createLab({ store: memoryStore(), selectBackend: async () => ({ backend: 'cpu', skipped: [] }), presets: [] });
}

const FASTTEXT_SGD = { type: 'fasttext', dim: 8, buckets: 128, train: { optimizer: 'fasttext-sgd', epochs: 4, lr: 0.3 } };
const FASTTEXT_TFJS = { type: 'fasttext', dim: 8, buckets: 128, train: { epochs: 3, batchSize: 16, lr: 0.05, logEvery: 1, checkpointEvery: 5 } };

describe('lab.distill (in-process, CPU backend)', () => {
  it('distils a teacher into fastText: record with teacher, alpha, T, retention and gain over its baseline; probabilities stored with the run', async () => {
    const l = lab();
    const ds = await l.importDataset({ kind: 'agnews', files: agnewsFiles(400) });
    await l.train({ datasetId: ds.id, runId: 'teacher', config: { name: 'lr', model: { type: 'tfidf-logreg' }, guard: TOY } }, () => {});
    const logs: string[] = [];
    const r = await l.distill(
      { datasetId: ds.id, teacher: 'teacher', runId: 'student', config: { name: 'ft', model: FASTTEXT_SGD, guard: TOY }, temperature: 3 },
      (e) => e.type === 'log' && logs.push(e.message),
    );
    const teacher = (await l.getRun('teacher')).result!;
    const baseline = (await l.getRun('student-baseline')).result!;
    expect(baseline.distill).toBeUndefined();
    expect(baseline.seed).toBe(r.seed);
    expect(r.distill).toEqual({
      teacher: 'teacher',
      teacherModel: 'tfidf-logreg',
      alpha: 0.5,
      temperature: 3,
      teacherAccuracy: teacher.validation.accuracy,
      retention: r.validation.accuracy / teacher.validation.accuracy,
      baseline: { run: 'student-baseline', accuracy: baseline.validation.accuracy, gain: r.validation.accuracy - baseline.validation.accuracy },
    });
    expect(logs.some((m) => /Distilling teacher \(tfidf-logreg/.test(m))).toBe(true);
    const files = Object.fromEntries((await l.exportRun('student')).map((f) => [f.path, f.bytes]));
    expect(files['teacher-train.f32'].byteLength).toBe(r.data.train * 4 * 4);
    expect((await l.getRun('student')).config).toMatchObject({ distill: { teacher: 'teacher', alpha: 0.5, temperature: 3 } });
    expect((await l.predict('student', ['the goal of the match'])).probs[0]).toHaveLength(4);
  });

  it('a distilled run cancelled mid-epoch resumes from its stored teacher probabilities (the teacher deleted meanwhile) to the uninterrupted result', async () => {
    const l = lab();
    const ds = await l.importDataset({ kind: 'agnews', files: agnewsFiles(400) });
    await l.train({ datasetId: ds.id, runId: 'teacher', config: { name: 'nb', model: { type: 'tfidf-nb' }, guard: TOY } }, () => {});
    // Through train: a config with a distill block is a distillation.
    const config = { name: 'ft', seed: 4, model: FASTTEXT_TFJS, distill: { teacher: 'teacher', alpha: 0.2 }, guard: TOY };
    const whole = await l.train({ datasetId: ds.id, runId: 'whole', config }, () => {});
    expect(whole.distill).toMatchObject({ teacher: 'teacher', alpha: 0.2, temperature: 2, baseline: { run: 'whole-baseline' } });

    const broken = l.distill({ datasetId: ds.id, teacher: 'teacher', runId: 'broken', config, baseline: false }, (e) => e.type === 'step' && e.step === 8 && void l.cancel());
    await expect(broken).rejects.toThrow(/Cancelled/);
    await l.deleteRun('teacher');
    const resumed = await l.resume('broken', () => {});
    expect(resumed.validation).toEqual(whole.validation);
    expect(resumed.distill).toEqual({ ...whole.distill, baseline: undefined });
    const weights = async (id: string) => (await l.exportRun(id)).find((f) => /checkpoints\/model-\w+\.safetensors$/.test(f.path))!.bytes;
    expect(await weights('broken')).toEqual(await weights('whole'));
  });

  it('refuses a classical student, a teacher from another dataset, an unknown teacher and an occupied run folder, each before training', async () => {
    const l = lab();
    // Large enough for the guard's validation-size check: its override would cover the teacher rule too.
    const ds = await l.importDataset({ kind: 'agnews', files: agnewsFiles(520) });
    const other = await l.importDataset({ kind: 'agnews', files: agnewsFiles(520, 'x') });
    await l.train({ datasetId: other.id, runId: 'foreign', config: { name: 'nb', model: { type: 'tfidf-nb' }, guard: TOY } }, () => {});
    await l.train({ datasetId: ds.id, runId: 'teacher', config: { name: 'nb', model: { type: 'tfidf-nb' }, guard: TOY } }, () => {});
    const req = { datasetId: ds.id, teacher: 'teacher', config: { name: 'ft', model: FASTTEXT_SGD } };
    await expect(l.distill({ ...req, config: { model: { type: 'tfidf-svm' } } }, () => {})).rejects.toThrow(/model.type "tfidf-svm" \(classical\) learns from labels only/);
    await expect(l.distill({ ...req, alpha: 2 }, () => {})).rejects.toThrow(/distill.alpha/);
    await expect(l.distill({ ...req, teacher: 'foreign', runId: 's1' }, () => {})).rejects.toThrow(/trained on another dataset/);
    await expect(l.distill({ ...req, teacher: 'nobody', runId: 's2' }, () => {})).rejects.toThrow(/nobody/);
    await expect(l.distill({ ...req, runId: 'teacher' }, () => {})).rejects.toThrow(/cannot be its own teacher/);
    await l.train({ datasetId: ds.id, runId: 'taken', config: { name: 'nb', model: { type: 'tfidf-nb' }, guard: TOY } }, () => {});
    await expect(l.distill({ ...req, runId: 'taken' }, () => {})).rejects.toThrow(/taken already holds a run/);
    expect((await l.listRuns()).map((r) => r.runId).sort()).toEqual(['foreign', 'taken', 'teacher']);
  });
});
