import type { CellType } from '../api/notebooks';

interface Props {
  afterCellId: string | null;
  onAdd: (type: CellType, afterCellId: string | null) => void;
}

/** "+ Python" / "+ SQL" / "+ Markdown" between cells: a new cell goes right after `afterCellId` (null: at the end). */
export function InsertCell({ afterCellId, onAdd }: Props) {
  const where = afterCellId === null ? 'at the end' : 'here';
  return (
    <div className="insert-cell">
      <button type="button" onClick={() => onAdd('python', afterCellId)} title={`Add a Python cell ${where}`}>
        + Python
      </button>
      <button type="button" onClick={() => onAdd('sql', afterCellId)} title={`Add a SQL cell ${where}`}>
        + SQL
      </button>
      <button type="button" onClick={() => onAdd('markdown', afterCellId)} title={`Add a markdown cell ${where}`}>
        + Markdown
      </button>
    </div>
  );
}
