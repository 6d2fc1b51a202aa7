import { describe, expect, it } from 'vitest';
import { ConfigError, errorHeadline, InputError, toErrorData, whereText } from './errors';

describe('errorHeadline', () => {
  it('says an import failed in one sentence, naming the file once and counting its errors', () => {
    const report = {
      errors: [
        { file: 'train.csv', line: 21, field: 'label', message: 'label "9" is not one of 1..4 (classes.txt has 4 classes)' },
        { file: 'train.csv', line: 30, message: 'unexpected text after a closing quote in field 2' },
      ],
      errorCount: 2,
    };
    const err = toErrorData(new InputError('train.csv line 21: label "9" is not one of 1..4 (and 1 more error)', { file: 'train.csv', line: 21, field: 'label' }, { report }));
    const text = errorHeadline(err);
    expect(text).toBe('train.csv has 2 errors, so nothing was imported:');
    expect(text).not.toMatch(/InputError/);
  });

  it('names two files and a single error correctly', () => {
    const report = {
      errors: [
        { file: 'train.csv', message: 'a' },
        { file: 'test.csv', message: 'b' },
      ],
      errorCount: 2,
    };
    expect(errorHeadline({ name: 'InputError', message: 'x', details: { report } })).toBe('train.csv and test.csv have 2 errors, so nothing was imported:');
    expect(errorHeadline({ name: 'InputError', message: 'x', details: { report: { errors: [{ file: 'a.csv', message: 'm' }], errorCount: 1 } } })).toBe(
      'a.csv has 1 error, so nothing was imported:',
    );
  });

  it('drops the class name and adds the location only when the message does not already say it', () => {
    expect(errorHeadline(toErrorData(new InputError('train.csv line 3: empty text', { file: 'train.csv', line: 3 })))).toBe('train.csv line 3: empty text.');
    expect(errorHeadline(toErrorData(new InputError('the label column is missing', { file: 'data.jsonl', field: 'label' })))).toBe(
      'the label column is missing (data.jsonl, label).',
    );
    expect(errorHeadline(toErrorData(new ConfigError('model.dim must be positive')))).toBe('model.dim must be positive.');
    expect(errorHeadline({ name: 'Error', message: 'Failed to fetch!' })).toBe('Failed to fetch!');
  });

  it('says a location as people read it', () => {
    expect(whereText({ file: 'train.csv', line: 21, field: 'label' })).toBe('train.csv line 21, label');
    expect(whereText({ field: 'model.dim' })).toBe('model.dim');
    expect(whereText(undefined)).toBe('');
  });
});
