// An ECS API error: the JSON 1.1 protocol answers it with HTTP 400 and {"__type": type, "message": message}.
export class EcsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export type Json = Record<string, unknown>;

export interface FakeTag {
  key: string;
  value: string;
}

/** TagResource's merge: a tag with a key already present replaces it. */
export function mergeTags(existing: FakeTag[], added: FakeTag[]): FakeTag[] {
  const reserved = added.find((tag) => tag.key.toLowerCase().startsWith('aws:'));
  if (reserved) throw new EcsError('InvalidParameterException', `Tag key "${reserved.key}" uses the reserved aws: prefix.`);
  const keys = new Set(added.map((tag) => tag.key));
  return [...existing.filter((tag) => !keys.has(tag.key)), ...added];
}
