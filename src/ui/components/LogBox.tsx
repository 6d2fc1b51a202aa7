/** The run's log lines, newest at the bottom, scrolled into view as they come. */
import { useEffect, useRef } from 'react';
import type { LogLine } from '../state/train';

export function LogBox({ logs, running = false }: { logs: LogLine[]; running?: boolean }) {
  const box = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [logs]);
  return (
    <pre className="log" ref={box} data-testid="train-log" aria-label="Training log" tabIndex={0}>
      {logs.length === 0
        ? running
          ? 'No log lines yet.'
          : 'This run wrote no log lines.'
        : logs.map((l, i) => (
            <span key={`${l.at}-${i}`} className={l.level === 'warn' ? 'log-warn' : undefined}>
              {l.level === 'warn' ? '⚠ ' : ''}
              {l.message}
              {'\n'}
            </span>
          ))}
    </pre>
  );
}
