/** Which columns make the text and which is the label, for one dropped table. */
import { useId, useState, type FormEvent } from 'react';
import type { ImportRequest, SourceFile } from '../../core/lab/api';
import { guessMapping, parseColumns, type TablePreview } from '../util/files';

interface Props {
  name: string;
  train: SourceFile;
  test?: SourceFile;
  preview: TablePreview;
  options: { maxTrain?: number; validationFraction?: number };
  disabled?: boolean;
  onSubmit: (req: ImportRequest) => void;
  onCancel: () => void;
}

export function ColumnMappingForm({ name: initialName, train, test, preview, options, disabled, onSubmit, onCancel }: Props) {
  const id = useId();
  const [name, setName] = useState(initialName);
  const [header, setHeader] = useState(preview.headerGuess);
  const [text, setText] = useState(preview.textGuess);
  const [label, setLabel] = useState(preview.labelGuess);
  const [classes, setClasses] = useState('');
  const [problem, setProblem] = useState<string>();
  const delimited = preview.format === 'csv' || preview.format === 'tsv';

  const onHeader = (h: boolean) => {
    setHeader(h);
    // Re-guess the columns when the header choice flips (names vs indices).
    const g = guessMapping(preview.firstRow, h, preview.secondRow);
    setText(g.textGuess);
    setLabel(g.labelGuess);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const hdr = delimited ? header : true;
    const textCols = parseColumns(text, hdr);
    const labelCol = parseColumns(label, hdr)[0];
    if (!name.trim()) return setProblem('Give the dataset a name.');
    if (!textCols.length) return setProblem('Name at least one text column.');
    if (labelCol === undefined) return setProblem('Name the label column.');
    setProblem(undefined);
    const classList = classes
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    onSubmit({
      kind: 'table',
      name: name.trim(),
      train,
      test,
      mapping: { text: textCols, label: labelCol, ...(delimited ? { header: hdr } : {}) },
      ...(classList.length ? { classes: classList } : {}),
      ...options,
    });
  };

  return (
    <form className="card mapping" onSubmit={submit} aria-label="Column mapping" data-testid="column-mapping">
      <h3>Map the columns of {train.name}</h3>
      <p className="muted">
        {preview.format.toUpperCase()}
        {test ? `, with test split ${test.name}` : ''}
        {preview.firstRow.length > 0 && (
          <>
            {' '}
            · first row: <code>{preview.firstRow.map((c) => (c.length > 24 ? c.slice(0, 24) + '…' : c)).join(' | ')}</code>
          </>
        )}
      </p>
      <div className="form-grid">
        <label htmlFor={`${id}-name`}>Dataset name</label>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required />

        {delimited && (
          <>
            <label htmlFor={`${id}-header`}>First row is a header</label>
            <input id={`${id}-header`} type="checkbox" checked={header} onChange={(e) => onHeader(e.target.checked)} />
          </>
        )}

        <label htmlFor={`${id}-text`}>Text columns</label>
        <div>
          <input id={`${id}-text`} value={text} onChange={(e) => setText(e.target.value)} aria-describedby={`${id}-text-help`} />
          <small id={`${id}-text-help`} className="muted">
            {delimited && !header ? '0-based column numbers, comma-separated (joined with a space)' : 'Column names, comma-separated (joined with a space)'}
          </small>
        </div>

        <label htmlFor={`${id}-label`}>Label column</label>
        <input id={`${id}-label`} value={label} onChange={(e) => setLabel(e.target.value)} />

        <label htmlFor={`${id}-classes`}>Class names (optional)</label>
        <div>
          <input
            id={`${id}-classes`}
            value={classes}
            placeholder="World, Sports, Business, Sci/Tech"
            onChange={(e) => setClasses(e.target.value)}
            aria-describedby={`${id}-classes-help`}
          />
          <small id={`${id}-classes-help`} className="muted">
            For numeric labels: names in label order, comma-separated.
          </small>
        </div>
      </div>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={disabled}>
          Import dataset
        </button>
        <button type="button" onClick={onCancel} disabled={disabled}>
          Cancel
        </button>
      </div>
    </form>
  );
}
