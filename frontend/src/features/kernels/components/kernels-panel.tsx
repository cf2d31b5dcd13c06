import { useState } from 'react';
import { Link } from 'react-router';
import { messageOf } from '../../../lib/format';
import type { KernelInfo } from '../api/kernels';
import { useKernels } from '../hooks/use-kernels';

const STATE_TEXT: Record<KernelInfo['state'], string> = {
  starting: 'starting',
  ready: 'running',
  restarting: 'restarting',
  stopped: 'stopped',
};

/** "512 MB", "1.2 GB". */
export function bytes(value: number | null): string {
  if (value === null) return 'unknown';
  const megabytes = value / (1024 * 1024);
  return megabytes >= 1024 ? `${(megabytes / 1024).toFixed(1)} GB` : `${Math.round(megabytes)} MB`;
}

/** "42 s", "5 min", "2 h 5 min". */
export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Math.floor(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function KernelsPanel() {
  const kernels = useKernels();
  return (
    <section className="kernels-panel">
      <div className="page-title">
        <h1>Kernels</h1>
        <p className="muted">
          Each open notebook runs its Python in a kernel of its own. A kernel no one uses is stopped after a while;
          stopping one frees its memory, and the notebook starts a fresh one when it runs a cell again.
        </p>
      </div>
      {kernels.status === 'error' && (
        <p className="problem" role="alert">
          Could not load the kernels: {kernels.error}{' '}
          <button type="button" className="link" onClick={() => void kernels.reload()}>
            Try again
          </button>
        </p>
      )}
      {kernels.status === 'loading' && <p className="muted">Loading…</p>}
      {kernels.status === 'ready' && kernels.kernels.length === 0 && (
        <p className="muted">No kernel is running: open a notebook to start one.</p>
      )}
      {kernels.kernels.length > 0 && (
        <table className="kernels" aria-label="Running kernels">
          <thead>
            <tr>
              <th scope="col">Notebook</th>
              <th scope="col">State</th>
              <th scope="col">Process</th>
              <th scope="col">Memory</th>
              <th scope="col">Age</th>
              <th scope="col">Idle</th>
              <th scope="col">Clients</th>
              <th scope="col" aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {kernels.kernels.map((kernel) => (
              <KernelRow key={kernel.notebook_id} kernel={kernel} stop={kernels.stop} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function KernelRow({ kernel, stop }: { kernel: KernelInfo; stop: (notebookId: string) => Promise<void> }) {
  const [stopping, setStopping] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const onStop = async () => {
    setStopping(true);
    setProblem(null);
    try {
      await stop(kernel.notebook_id);
    } catch (error) {
      setProblem(messageOf(error));
      setStopping(false);
    }
  };

  return (
    <tr>
      <td>
        <Link to={`/notebooks/${encodeURIComponent(kernel.notebook_id)}`}>{kernel.notebook_name}</Link>
      </td>
      <td>{STATE_TEXT[kernel.state]}</td>
      <td>{kernel.pid ?? '—'}</td>
      <td>{bytes(kernel.memory_bytes)}</td>
      <td>{duration(kernel.age_seconds)}</td>
      <td>{duration(kernel.idle_seconds)}</td>
      <td>{kernel.clients}</td>
      <td>
        <button
          type="button"
          className="danger"
          disabled={stopping}
          onClick={() => void onStop()}
          aria-label={`Stop the kernel of ${kernel.notebook_name}`}
        >
          Stop
        </button>
        {problem && (
          <span className="problem" role="alert">
            {problem}
          </span>
        )}
      </td>
    </tr>
  );
}
