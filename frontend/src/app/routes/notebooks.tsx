import { NotebookList } from '../../features/notebooks/components/notebook-list';

export function NotebooksRoute() {
  return <NotebookList />;
}
