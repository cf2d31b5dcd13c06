import { ConfigurationError } from '@notebook-ship/action-kit';
import type { TaskDefinitionInput } from './task-definition';

/** The variable the app reports as its version (the smoke test checks it), so it must name the code that runs. */
export const VERSION_VARIABLE = 'APP_VERSION';

/**
 * Refuses a rendered revision that gives the container a new version while it keeps the image the service runs now:
 * that ships the old code under the new version, and a version check after the deploy would believe it.
 */
export function refuseVersionWithoutImage(
  running: TaskDefinitionInput,
  rendered: TaskDefinitionInput,
  containerName: string,
): void {
  const find = (definition: TaskDefinitionInput) =>
    definition.containerDefinitions?.find((container) => container.name === containerName);
  const before = find(running);
  const after = find(rendered);
  if (!before || !after || before.image !== after.image) return;
  const version = (container: typeof before) =>
    container.environment?.find((variable) => variable.name === VERSION_VARIABLE)?.value;
  const [from, to] = [version(before), version(after)];
  if (from === to) return;
  throw new ConfigurationError(
    `Container "${containerName}" would get ${VERSION_VARIABLE} ${to ?? '(unset)'} (it runs ${from ?? '(unset)'}) while ` +
      `keeping the image it runs now, ${after.image}: the old code would run under the new version. Set "image" to ` +
      'the image built for that version, or set allow-version-without-image: true if only the label is meant to change.',
  );
}
