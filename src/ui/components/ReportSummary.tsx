/** The import's validation report in a few lines: errors, warnings, duplicates, overlap. */
import { displayText } from '../util/text';
import type { ValidationReport } from '../../core/data/types';
import { issueText } from '../util/errors';
import { int } from '../util/format';

export function ReportSummary({ report }: { report: ValidationReport }) {
  const warnings = report.warnings ?? [];
  const overlap = report.overlapExamples ?? [];
  return (
    <div className="report" data-testid="report-summary">
      <ul className="facts">
        <li>
          Errors: <strong>{int(report.errorCount ?? report.errors?.length ?? 0)}</strong>
        </li>
        <li>
          Warnings: <strong>{int(warnings.length)}</strong>
        </li>
        <li>
          Duplicates dropped: <strong>{int(report.duplicateRows)}</strong>
        </li>
        {report.conflictingDuplicates > 0 && (
          <li>
            Conflicting duplicates: <strong>{int(report.conflictingDuplicates)}</strong>
          </li>
        )}
        <li>
          Train/test overlap dropped: <strong>{int(report.trainTestOverlap)}</strong>
        </li>
        {report.emptyTexts > 0 && (
          <li>
            Empty texts: <strong>{int(report.emptyTexts)}</strong>
          </li>
        )}
        {report.unknownLabels > 0 && (
          <li>
            Unknown labels: <strong>{int(report.unknownLabels)}</strong>
          </li>
        )}
      </ul>
      {(warnings.length > 0 || overlap.length > 0) && (
        <details>
          <summary>Details</summary>
          {warnings.length > 0 && (
            <>
              <h5>Warnings</h5>
              <ul className="issues">
                {warnings.slice(0, 10).map((w, i) => (
                  <li key={i}>{issueText(w)}</li>
                ))}
              </ul>
            </>
          )}
          {overlap.length > 0 && (
            <>
              <h5>Train/test overlap (examples)</h5>
              <ul className="issues">
                {overlap.slice(0, 5).map((o, i) => (
                  <li key={i}>
                    {o.trainLine !== undefined && `train line ${o.trainLine}`}
                    {o.testLine !== undefined && ` = test line ${o.testLine}`}: “{displayText(o.text, 120)}”
                  </li>
                ))}
              </ul>
            </>
          )}
        </details>
      )}
    </div>
  );
}
