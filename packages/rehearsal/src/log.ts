// Shows an action's output the way a workflow run's log does: groups as headings, annotations as
// `Error:`/`Warning:` lines, debug lines hidden, and every value registered with `::add-mask::` printed as ***.
import { parseWorkflowCommands } from '@notebook-ship/action-kit/testing';

export function createLogRenderer(print: (line: string) => void, { indent = '  │ ' } = {}) {
  const masks: string[] = [];

  const mask = (text: string) => masks.reduce((masked, secret) => masked.split(secret).join('***'), text);

  function renderLine(line: string) {
    const [command] = parseWorkflowCommands(line);
    if (!command) return print(indent + mask(line));
    const title = command.properties.title ? `${command.properties.title}: ` : '';
    switch (command.command) {
      case 'add-mask':
        if (command.message) masks.push(command.message);
        return;
      case 'group':
        return print(`${indent}▸ ${mask(command.message)}`);
      case 'error':
      case 'warning':
      case 'notice': {
        const label = command.command[0]?.toUpperCase() + command.command.slice(1);
        for (const part of mask(`${title}${command.message}`).split('\n')) print(`${indent}${label}: ${part}`);
        return;
      }
      default:
        // endgroup, debug, echo, save-state...: not part of what a run's log shows.
        return;
    }
  }

  /** A line-buffered writer for one output stream (stdout and stderr each get one; masks are shared). */
  function stream() {
    let pending = '';
    return {
      write(chunk: string) {
        const lines = (pending + chunk).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) renderLine(line.replace(/\r$/, ''));
      },
      /** Prints what is left of an unterminated last line. */
      end() {
        if (pending) renderLine(pending);
        pending = '';
      },
    };
  }

  return { stream, mask };
}
