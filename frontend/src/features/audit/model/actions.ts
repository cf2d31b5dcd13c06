// An audit event's action (a REST operation id, a WebSocket command, or sign-in) as people say it.

const ACTIONS: Record<string, string> = {
  create_notebook: 'Created the notebook',
  import_notebook: 'Imported the notebook',
  rename_notebook: 'Renamed the notebook',
  delete_notebook: 'Deleted the notebook',
  undelete: 'Brought the deleted notebook back',
  restore_version: 'Restored a saved version',
  set_db_connection: 'Set the database connection',
  set_kernel_size: 'Changed the kernel size',
  set_access: 'Changed who has access',
  create_cell: 'Added a cell',
  update_cell: 'Edited a cell',
  delete_cell: 'Deleted a cell',
  move_cell: 'Moved a cell',
  stop_kernel: 'Stopped the kernel',
  run_cell: 'Ran a cell',
  run_all: 'Ran all cells',
  interrupt: 'Interrupted the run',
  restart_kernel: 'Restarted Python',
  sign_in: 'Signed in',
  sign_out: 'Signed out',
};

/** "update_cell" -> "Edited a cell"; an action this page does not know yet reads as its words ("Export notebook"). */
export function actionText(action: string): string {
  const known = ACTIONS[action];
  if (known) return known;
  const words = action.replaceAll('_', ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The cell an event is about, if any (the path parameters are kept in `detail`). */
export function cellOf(detail: Record<string, unknown>): string | null {
  return typeof detail.cell_id === 'string' ? detail.cell_id : null;
}
