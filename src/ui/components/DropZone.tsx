/** Drop files here or pick them (several at once: train.csv, test.csv, classes.txt). */
import { useId, useRef, useState, type DragEvent } from 'react';

interface Props {
  onFiles: (files: File[]) => void;
  disabled?: boolean;
}

export function DropZone({ onFiles, disabled }: Props) {
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    if (disabled) return;
    const files = Array.from(e.dataTransfer.files);
    if (files.length) onFiles(files);
  };

  return (
    <div
      className={`dropzone ${over ? 'over' : ''} ${disabled ? 'disabled' : ''}`}
      data-testid="drop-zone"
      onDragOver={(e) => {
        e.preventDefault();
        if (!disabled) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p>
        <strong>Drop dataset files here</strong>
      </p>
      <p className="muted">
        AG News layout: <code>train.csv</code> + <code>classes.txt</code> (+ <code>test.csv</code>), or one CSV, TSV, JSONL or Parquet table.
      </p>
      <label htmlFor={id} className="button">
        Choose files…
      </label>
      <input
        ref={input}
        id={id}
        className="visually-hidden"
        type="file"
        multiple
        aria-label="Dataset files"
        accept=".csv,.tsv,.tab,.txt,.jsonl,.ndjson,.json,.parquet"
        disabled={disabled}
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          // Reset so that choosing the same files again fires a change.
          if (input.current) input.current.value = '';
          if (files.length) onFiles(files);
        }}
      />
    </div>
  );
}
