import { type ChangeEvent, useId, useState } from 'react';
import { messageOf } from '../../../lib/format';
import type { KernelSizeName, KernelSizeSet } from '../api/notebooks';
import type { KernelSizesState } from '../hooks/use-kernel-sizes';

interface Props {
  /** The size the notebook's next kernel gets. */
  value: KernelSizeName;
  offered: KernelSizesState;
  onChoose: (size: KernelSizeName) => Promise<KernelSizeSet>;
}

const PROCESS_HINT =
  'Kernels run inside the server here (KERNEL_LAUNCHER=process): the size applies once they run as ECS tasks.';

/** The notebook's kernel size preset, among those the server offers, each with its CPU and memory as it states
 * them. A running kernel keeps its size: the choice says so, and when it applies. */
export function KernelSizePicker({ value, offered, onChoose }: Props) {
  const [note, setNote] = useState<{ text: string; problem: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const { sizes, error } = offered;
  const processOnly = sizes?.launcher === 'process';

  const choose = async (event: ChangeEvent<HTMLSelectElement>) => {
    const size = event.target.value as KernelSizeName;
    setBusy(true);
    setNote(null);
    try {
      const result = await onChoose(size);
      if (processOnly) {
        setNote({ text: `Kept with the notebook. ${PROCESS_HINT}`, problem: false });
      } else if (result.applies_at_next_start) {
        setNote({ text: `The running kernel keeps its size: ${size} applies when it restarts (Restart Python).`, problem: false });
      }
    } catch (failure) {
      setNote({ text: messageOf(failure), problem: true });
    } finally {
      setBusy(false);
    }
  };

  const problem = note?.problem ? note.text : error && `Sizes unavailable: ${error}`;
  return (
    <>
      <span className="kernel-size">
        <label htmlFor={id}>Kernel size</label>
        <select
          id={id}
          value={value}
          disabled={!sizes || busy}
          onChange={(event) => void choose(event)}
          title={processOnly ? PROCESS_HINT : 'CPU and memory of the notebook\'s kernel task'}
        >
          {(sizes?.sizes ?? [{ name: value, vcpus: null, memory_gib: null }]).map((size) => (
            <option key={size.name} value={size.name}>
              {size.vcpus === null ? size.name : `${size.name} (${size.vcpus} vCPU, ${size.memory_gib} GiB)`}
            </option>
          ))}
        </select>
        {processOnly && <span className="hint">ECS kernels only</span>}
      </span>
      {/* On a line of its own under the toolbar's controls (see .kernel-size-note). */}
      {problem ? (
        <p className="kernel-size-note problem" role="alert">
          {problem}
        </p>
      ) : (
        note && (
          <p className="kernel-size-note hint" role="status">
            {note.text}
          </p>
        )
      )}
    </>
  );
}
