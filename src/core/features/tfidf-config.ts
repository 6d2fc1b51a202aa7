/**
 * Vectorizer settings, validated with zod so that configs from files and the UI get defaults
 * and clear errors. Defaults reproduce the scikit-learn peer (word 1-2 + char_wb 3-5,
 * sublinear tf, smooth idf, l2 per analyzer block).
 */
import { z } from 'zod';

const analyzerFields = {
  ngramMin: z.number().int().min(1).max(8),
  ngramMax: z.number().int().min(1).max(8),
  /** Keep the n-grams with the highest corpus term frequency; null keeps all. */
  maxFeatures: z.number().int().positive().nullable(),
  /** Drop n-grams found in fewer documents than this. */
  minDf: z.number().int().min(1),
  /** Drop n-grams found in more than this fraction of documents (1 keeps all). */
  maxDf: z.number().gt(0).max(1),
  /** Tokens shorter than this are not seen by the analyzer (2 mirrors sklearn's token_pattern). */
  minTokenLength: z.number().int().min(1),
};

function analyzer(defaults: { ngramMin: number; ngramMax: number; maxFeatures: number | null; minTokenLength: number }) {
  return z
    .object({
      ngramMin: analyzerFields.ngramMin.default(defaults.ngramMin),
      ngramMax: analyzerFields.ngramMax.default(defaults.ngramMax),
      maxFeatures: analyzerFields.maxFeatures.default(defaults.maxFeatures),
      minDf: analyzerFields.minDf.default(1),
      maxDf: analyzerFields.maxDf.default(1),
      minTokenLength: analyzerFields.minTokenLength.default(defaults.minTokenLength),
    })
    .strict()
    .refine((a) => a.ngramMin <= a.ngramMax, { message: 'ngramMin must be <= ngramMax' });
}

export const wordAnalyzerSchema = analyzer({ ngramMin: 1, ngramMax: 2, maxFeatures: 50000, minTokenLength: 2 });
export const charAnalyzerSchema = analyzer({ ngramMin: 3, ngramMax: 5, maxFeatures: 50000, minTokenLength: 1 });

export const tfidfConfigSchema = z
  .object({
    /** Word n-grams; null disables the analyzer. */
    word: wordAnalyzerSchema.nullable().prefault({}),
    /** Char n-grams inside word boundaries (sklearn `char_wb`); null disables. */
    char: charAnalyzerSchema.nullable().prefault({}),
    /**
     * Feature hashing: buckets per analyzer. 0 builds a vocabulary instead (needed for
     * topFeatures strings; hashing skips vocabulary memory and the selection step).
     */
    hashing: z
      .number()
      .int()
      .min(0)
      .max(1 << 22)
      .default(0),
    /**
     * Decode HTML entities and drop tags before tokenising (text/normalize); false keeps the
     * markup as written, lower-cased, as scikit-learn's vectorizer sees it.
     */
    clean: z.boolean().default(true),
    /** Presence instead of counts (tf = 1), as in NB-SVM's binarised features. */
    binary: z.boolean().default(false),
    sublinearTf: z.boolean().default(true),
    useIdf: z.boolean().default(true),
    smoothIdf: z.boolean().default(true),
    norm: z.enum(['l2', 'none']).default('l2'),
    /** 'analyzer' normalises word and char blocks separately (as sklearn's hstack of two vectorizers). */
    normScope: z.enum(['analyzer', 'row']).default('analyzer'),
  })
  .strict()
  .refine((c) => c.word !== null || c.char !== null, { message: 'enable at least one analyzer (word or char)' });

export type TfidfConfig = z.output<typeof tfidfConfigSchema>;
export type TfidfConfigInput = z.input<typeof tfidfConfigSchema>;
export type AnalyzerConfig = NonNullable<TfidfConfig['word']>;

/** Parses (and fills defaults of) a vectorizer config; throws zod's error on bad input. */
export function parseTfidfConfig(input: unknown): TfidfConfig {
  return tfidfConfigSchema.parse(input ?? {});
}
