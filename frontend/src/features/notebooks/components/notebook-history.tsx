// The notebook's saved versions (docs/API.md: versions): what one changes against the notebook now or the version
// before it, and restoring it.
import { useEffect, useMemo, useState } from 'react';
import { messageOf, plural, timeAgo } from '../../../lib/format';
import { useServices } from '../../../lib/services';
import { type ApiCell, type CellChange, type VersionDiff, type VersionSummary, notebooksApi } from '../api/notebooks';

interface Props {
  notebookId: string;
  /** The current cells: a change to them compares the shown version again. */
  current: ApiCell[];
  /** False for a viewer: the versions can be read, not restored. */
  canRestore: boolean;
  onClose: () => void;
}

type Against = 'now' | 'previous';

/** The version saved before `versionId` (deletions have no cells to compare), if its page is loaded. */
function previousOf(versions: VersionSummary[], versionId: string): string | undefined {
  const index = versions.findIndex((version) => version.version_id === versionId);
  return versions.slice(index + 1).find((version) => !version.deleted)?.version_id;
}

export function NotebookHistory({ notebookId, current, canRestore, onClose }: Props) {
  const { api } = useServices();
  const calls = useMemo(() => notebooksApi(api), [api]);
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [selected, setSelected] = useState<{ versionId: string; against: Against } | null>(null);
  const [shown, setShown] = useState<VersionDiff | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const load = async (from?: string) => {
    try {
      const page = await calls.versions(notebookId, from);
      setVersions((previous) => (from ? [...previous, ...page.versions] : page.versions));
      setCursor(page.next_cursor);
    } catch (error) {
      setProblem(`Could not list the versions: ${messageOf(error)}`);
    }
  };

  useEffect(() => {
    void load();
    // The first page, once per notebook; older pages load on request.
  }, [calls, notebookId]);

  const show = (versionId: string) => {
    setProblem(null);
    setConfirming(false);
    setSelected({ versionId, against: 'now' });
  };

  const previous = selected ? previousOf(versions, selected.versionId) : undefined;
  const base = selected?.against === 'previous' ? previous : undefined;
  const currentKey = JSON.stringify(current.map((cell) => [cell.id, cell.type, cell.code, cell.output_name]));
  useEffect(() => {
    if (!selected) return;
    let stale = false;
    calls.versionDiff(notebookId, selected.versionId, base).then(
      (diff) => {
        if (!stale) setShown(diff);
      },
      (error: unknown) => {
        if (!stale) setProblem(`Could not open the version: ${messageOf(error)}`);
      },
    );
    return () => {
      stale = true;
    };
    // currentKey: the notebook changed, so what a restore would change did too.
  }, [calls, notebookId, selected, base, currentKey]);

  const restore = async (versionId: string) => {
    setProblem(null);
    try {
      await calls.restoreVersion(notebookId, versionId);
      onClose();
    } catch (error) {
      setProblem(`Could not restore the version: ${messageOf(error)}`);
    }
  };

  return (
    <section className="notebook-history" aria-label="History">
      <div className="history-title">
        <h2>History</h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      <ul className="versions" aria-label="Versions">
        {versions.map((version) => (
          <li key={version.version_id}>
            {version.deleted ? (
              <span className="muted">Deleted {timeAgo(version.saved_at)}</span>
            ) : (
              <button
                type="button"
                className="link"
                aria-pressed={selected?.versionId === version.version_id}
                onClick={() => show(version.version_id)}
              >
                {new Date(version.saved_at).toLocaleString()} · {plural(version.cell_count ?? 0, 'cell')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {cursor && (
        <button type="button" onClick={() => void load(cursor)}>
          Older versions
        </button>
      )}
      {shown && selected && (
        <div className="version" aria-label="Version">
          <div role="radiogroup" aria-label="Compare with" className="compare-with">
            <label>
              <input
                type="radio"
                name="against"
                checked={selected.against === 'now'}
                onChange={() => setSelected({ ...selected, against: 'now' })}
              />
              The notebook now
            </label>
            <label>
              <input
                type="radio"
                name="against"
                checked={selected.against === 'previous'}
                disabled={previous === undefined}
                onChange={() => setSelected({ ...selected, against: 'previous' })}
              />
              The version before it
            </label>
          </div>
          {!canRestore ? null : confirming ? (
            <div role="group" aria-label="Restore this version?">
              <span>Replace the current cells with this version's? (The current ones stay in the history.)</span>
              <button type="button" className="danger" onClick={() => void restore(shown.version_id)}>
                Yes, restore
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                Keep the current cells
              </button>
            </div>
          ) : (
            <button type="button" className="primary" onClick={() => setConfirming(true)}>
              Restore this version
            </button>
          )}
          <VersionChanges diff={shown} against={selected.against} />
        </div>
      )}
    </section>
  );
}

const NOTES: Record<Against, Record<CellChange['change'], string>> = {
  now: {
    added: 'Not in the current notebook: restoring adds it.',
    removed: 'Only in the current notebook: restoring removes it.',
    changed: 'Restoring changes it.',
    unchanged: 'Unchanged.',
  },
  previous: {
    added: 'Added in this version.',
    removed: 'Removed in this version.',
    changed: 'Changed in this version.',
    unchanged: 'Unchanged.',
  },
};

/** What the notes under a cell say: its change, a move, a new type or result name. */
function noteOf(cell: CellChange, against: Against, other: string): string {
  const notes = [NOTES[against][cell.change]];
  if (cell.moved) notes.push(against === 'now' ? 'Restoring moves it.' : 'Moved in this version.');
  const { base, version } = cell;
  if (base && version && base.type !== version.type) notes.push(`A ${base.type} cell ${other}.`);
  if (base && version && base.output_name !== version.output_name) {
    const name = (value: string | null) => (value === null ? 'the default' : `“${value}”`);
    notes.push(`Its result is named ${name(version.output_name)} here, ${name(base.output_name)} ${other}.`);
  }
  return notes.join(' ');
}

const PREFIX = { same: '  ', added: '+ ', removed: '- ' } as const;

function VersionChanges({ diff, against }: { diff: VersionDiff; against: Against }) {
  const other = against === 'now' ? 'in the current notebook' : 'in the version before';
  return (
    <>
      {diff.base_name !== diff.name && (
        <p className="muted">
          Named “{diff.name}” here, “{diff.base_name}” {other}.
        </p>
      )}
      <ol className="version-cells">
        {diff.cells.map((cell) => (
          <li key={cell.id} aria-label={`Cell ${cell.id}`}>
            <p className="muted">{noteOf(cell, against, other)}</p>
            <pre className="version-code">
              {cell.lines.map((run, index) => (
                <span
                  key={index}
                  className={run.kind === 'same' ? undefined : `line-${run.kind}`}
                  title={run.kind === 'added' ? 'in this version' : run.kind === 'removed' ? other : undefined}
                >
                  {run.lines.map((line) => `${PREFIX[run.kind]}${line}\n`).join('')}
                </span>
              ))}
            </pre>
          </li>
        ))}
      </ol>
    </>
  );
}
