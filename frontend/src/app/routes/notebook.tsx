import { useParams } from 'react-router';
import { ActivityPanel } from '../../features/audit/components/activity-panel';
import { NotebookView } from '../../features/notebooks/components/notebook-view';

export function NotebookRoute() {
  const { notebookId = '' } = useParams();
  return <NotebookView key={notebookId} notebookId={notebookId} activity={ActivityPanel} />;
}
