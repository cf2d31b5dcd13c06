/**
 * Parses a runner file command (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV): `name=value` lines and
 * multi-line `name<<DELIMITER` … `DELIMITER` blocks, exactly as the runner reads them.
 */
export function parseFileCommand(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] as string).replace(/\r$/, '');
    if (line === '') continue;
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line);
    const equals = line.indexOf('=');
    if (heredoc && (equals === -1 || line.indexOf('<<') < equals)) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const body: string[] = [];
      index++;
      while (index < lines.length && (lines[index] as string).replace(/\r$/, '') !== delimiter) {
        body.push(lines[index] as string);
        index++;
      }
      if (index >= lines.length) throw new Error(`Unterminated multi-line value "${name}": no line "${delimiter}".`);
      values[name] = body.join('\n');
    } else if (equals > 0) {
      values[line.slice(0, equals)] = line.slice(equals + 1);
    } else {
      throw new Error(`Malformed file command line: "${line}".`);
    }
  }
  return values;
}

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

const unescapeData = (text: string) => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (text: string) => unescapeData(text).replace(/%3A/g, ':').replace(/%2C/g, ',');

/** The `::command key=value::message` lines an action printed (annotations, masks, groups, debug). */
export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line.replace(/\r$/, ''));
    if (!match) continue;
    const [, command, rawProperties, message] = match as unknown as [string, string, string | undefined, string];
    const properties: Record<string, string> = {};
    for (const pair of rawProperties ? rawProperties.split(',') : []) {
      const equals = pair.indexOf('=');
      if (equals > 0) properties[pair.slice(0, equals)] = unescapeProperty(pair.slice(equals + 1));
    }
    commands.push({ command, properties, message: unescapeData(message) });
  }
  return commands;
}
