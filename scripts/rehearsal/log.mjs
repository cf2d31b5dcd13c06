// Shows an action's output the way a workflow run's log does: groups as headings, annotations as
// `Error:`/`Warning:` lines, debug lines hidden, and every value registered with `::add-mask::` printed as ***.

/**
 * @param {(stdout: string) => Array<{ command: string, properties: Record<string, string>, message: string }>} parse
 *   the kit's parseWorkflowCommands
 * @param {(line: string) => void} print
 */
export function createLogRenderer(parse, print, { indent = '  │ ' } = {}) {
  const masks = [];

  const mask = (text) => masks.reduce((masked, secret) => masked.split(secret).join('***'), text);

  function renderLine(line) {
    const [command] = parse(line);
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
        const label = command.command[0].toUpperCase() + command.command.slice(1);
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
      write(chunk) {
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
