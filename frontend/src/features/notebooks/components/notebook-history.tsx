// The notebook's saved versions (docs/API.md: versions): view one beside the current cells, and restore it.
import { diffLines } from 'diff';
import { useEffect, useMemo, useState } from 'react';
import { messageOf, plural, timeAgo } from '../../../lib/format';
import { useServices } from '../../../lib/services';
import { type ApiCell, type VersionDocument, type VersionSummary, notebooksApi } from '../api/notebooks';

interface Props {
  notebookId: string;
  /** The current cells, to compare a version with. */
  current: ApiCell[];
  /** False for a viewer: the versions can be read, not restored. */
  canRestore: boolean;
  onClose: () => void;
}

export function NotebookHistory({ notebookId, current, canRestore, onClose }: Props) {
  const { api } = useServices();
  const calls = useMemo(() => notebooksApi(api), [api]);
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [shown, setShown] = useState<VersionDocument | null>(null);
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

  const show = async (versionId: string) => {
    setProblem(null);
    setConfirming(false);
    try {
      setShown(await calls.version(notebookId, versionId));
    } catch (error) {
      setProblem(`Could not open the version: ${messageOf(error)}`);
    }
  };

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
                aria-pressed={shown?.version_id === version.version_id}
                onClick={() => void show(version.version_id)}
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
      {shown && (
        <div className="version" aria-label="Version">
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
          <VersionCells version={shown} current={current} />
        </div>
      )}
    </section>
  );
}

function VersionCells({ version, current }: { version: VersionDocument; current: ApiCell[] }) {
  const now = new Map(current.map((cell) => [cell.id, cell.code]));
  const kept = new Set(version.cells.map((cell) => cell.id));
  const gone = current.filter((cell) => !kept.has(cell.id));
  return (
    <ol className="version-cells">
      {version.cells.map((cell) => {
        const code = now.get(cell.id);
        return (
          <li key={cell.id} aria-label={`Cell ${cell.id}`}>
            {code === undefined ? (
              <p className="muted">Not in the current notebook: restoring adds it.</p>
            ) : code === cell.code ? (
              <p className="muted">Unchanged.</p>
            ) : null}
            <pre className="version-code">
              {code === undefined || code === cell.code
                ? cell.code
                : diffLines(code, cell.code).map((part, index) => (
                    <span
                      key={index}
                      className={part.added ? 'line-added' : part.removed ? 'line-removed' : undefined}
                      title={part.added ? 'in this version' : part.removed ? 'in the current notebook' : undefined}
                    >
                      {part.value
                        .replace(/\n$/, '')
                        .split('\n')
                        .map((line) => `${part.added ? '+ ' : part.removed ? '- ' : '  '}${line}\n`)
                        .join('')}
                    </span>
                  ))}
            </pre>
          </li>
        );
      })}
      {gone.map((cell) => (
        <li key={cell.id} aria-label={`Cell ${cell.id}`}>
          <p className="muted">Only in the current notebook: restoring removes it.</p>
          <pre className="version-code line-removed">{cell.code}</pre>
        </li>
      ))}
    </ol>
  );
}
